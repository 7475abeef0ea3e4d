using System.Security.Cryptography;
using System.Text;
using LambdaSlim.Model;

namespace LambdaSlim.Install;

/// <summary>What to install, for which Lambda platform, and where.</summary>
public sealed record InstallRequest(string RequirementsFile, PythonRuntime Runtime, Architecture Architecture, PipOptions Options, string Owner)
{
    public IReadOnlyList<string> Platforms => [.. PlatformTags.For(Runtime, Architecture), .. Options.ExtraPlatforms];

    /// <summary>pip runs here, as under SAM: relative paths in the requirements (-e ., ./wheels/x.whl) mean the file's folder.</summary>
    public string WorkingDirectory => Path.GetDirectoryName(Path.GetFullPath(RequirementsFile))!;

    /// <summary>The marker environment of the Lambda runtime this installs for.</summary>
    public IReadOnlyDictionary<string, string> Environment => TargetEnvironment.For(Runtime, Architecture);

    /// <summary>The interpreter's arguments: pip through <see cref="PipLauncher"/>, so markers are evaluated for the target.</summary>
    public IReadOnlyList<string> PipArguments(string target) =>
        ["-c", PipLauncher.Script, TargetEnvironment.ToJson(Environment), .. PipInstallArguments(target)];

    /// <summary>pip's own arguments, from "install" on; <paramref name="target"/> is absolute (pip runs in <see cref="WorkingDirectory"/>). Pure, so tests pin the exact command.</summary>
    public IReadOnlyList<string> PipInstallArguments(string target)
    {
        var args = new List<string>
        {
            "install",
            "--requirement", Path.GetFullPath(RequirementsFile),
            "--target", target,
            "--python-version", Runtime.Version,
            "--implementation", "cp",
            "--only-binary=:all:",
            // Bytecode is compiled later for the runtime's exact Python; pip would compile for the build machine's.
            "--no-compile",
            "--disable-pip-version-check",
            "--no-input",
            "--progress-bar", "off",
        };
        foreach (var p in Platforms) { args.Add("--platform"); args.Add(p); }
        args.AddRange(Options.IndexArguments());
        return args;
    }

    /// <summary>What the user controls in the project: every requirements file pip reads, runtime and architecture (not where wheels come from).</summary>
    public string RequirementsFingerprint() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"{RequirementsFiles.Hash(RequirementsFile)}\n{Runtime.Name}\n{Architecture.ToLambdaName()}")));

    /// <summary>Everything that decides what pip installs; a cached install with the same fingerprint is reused.</summary>
    public string Fingerprint()
    {
        // v2: markers are evaluated for the target, and files pulled in with -r/-c count.
        // v3: Requires-Python is decided for the runtime (installs made before may hold releases the runtime cannot import).
        var text = new StringBuilder()
            .AppendLine("lambdaslim-install-v3")
            .AppendLine(RequirementsFiles.Hash(RequirementsFile))
            .AppendLine(TargetEnvironment.ToJson(Environment))
            .AppendLine(string.Join(' ', PipInstallArguments("TARGET").Skip(3)));
        // A local folder pip installs from is not hashed: the install is then this requirements file's alone.
        if (RequirementsFiles.NamesLocalFolder(RequirementsFile)) text.AppendLine(WorkingDirectory);
        foreach (var dir in Options.FindLinks.Where(Directory.Exists))
            foreach (var f in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                text.Append(Path.GetFileName(f)).Append(' ').Append(new FileInfo(f).Length).AppendLine();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
