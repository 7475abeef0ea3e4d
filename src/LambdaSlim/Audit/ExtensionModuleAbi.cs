using System.Text.RegularExpressions;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Audit;

/// <summary>
/// CPython only imports an extension module whose file name carries its own tag (<c>.cpython-311-x86_64-linux-gnu.so</c>),
/// the stable ABI tag (<c>.abi3.so</c>, any CPython 3.2+) or none (<c>.so</c>). Any other tag is skipped by the
/// import system, so the import fails with ModuleNotFoundError.
/// </summary>
internal static partial class ExtensionModuleAbi
{
    [GeneratedRegex(@"\.cpython-(?<version>\d)(?<minor>\d+)(?<flags>[a-z]*)-(?<platform>[^.]+)\.so$", RegexOptions.CultureInvariant)]
    private static partial Regex TaggedModule();

    /// <summary>A Python extension module's name: tagged (.cpython-311-x86_64-linux-gnu.so, .abi3.so), or a plain .so that is not a lib*.so library.</summary>
    public static bool IsExtensionModule(string name) =>
        TaggedModule().IsMatch(name) || name.EndsWith(".abi3.so", StringComparison.Ordinal)
        || (name.EndsWith(".so", StringComparison.Ordinal) && !name.StartsWith("lib", StringComparison.Ordinal));

    public static AuditFinding? Check(AuditContext context, DeployedFile deployed, string name)
    {
        var m = TaggedModule().Match(name);
        if (!m.Success) return null;
        var python = context.Python;
        var tag = $"cp{m.Groups["version"].Value}{m.Groups["minor"].Value}{m.Groups["flags"].Value}";
        var platform = m.Groups["platform"].Value;
        var expectedPlatform = $"{context.Machine}-linux-gnu";
        var file = deployed.File;

        if (tag != python.CPythonTag)
        {
            var built = $"{m.Groups["version"].Value}.{m.Groups["minor"].Value}";
            var flags = m.Groups["flags"].Value;
            var what = flags.Contains('t', StringComparison.Ordinal) ? $"a free-threaded {tag} extension module"
                : flags.Contains('d', StringComparison.Ordinal) ? $"a debug-build {tag} extension module"
                : $"a {tag} extension module";
            var fix = flags.Length == 0 && PythonRuntimes.TryParse($"python{built}", out var match)
                ? $"rebuild it for {python.Version} (pip --python-version {python.Version} installs the {python.CPythonTag} wheel), or set the runtime to {match.Name}"
                : $"install the {python.CPythonTag} build{AuditContext.OfDistribution(file.Distribution)} (pip --python-version {python.Version})";
            return NativeFileAudit.Finding(context, deployed, AuditFindingKind.PythonAbiMismatch,
                $"{file.ArchivePath} is {what} in a {python.Name} runtime, which only imports {python.CPythonTag} and abi3 modules", fix);
        }
        if (platform != expectedPlatform)
            return NativeFileAudit.Finding(context, deployed, AuditFindingKind.PythonAbiMismatch,
                $"{file.ArchivePath} is an extension module for {platform}, but {python.Name} on {context.Environment.Architecture.ToLambdaName()} only imports {expectedPlatform} modules",
                $"install the {context.Machine} manylinux wheel{AuditContext.OfDistribution(file.Distribution)} (pip {context.PipPlatforms})");
        return null;
    }
}
