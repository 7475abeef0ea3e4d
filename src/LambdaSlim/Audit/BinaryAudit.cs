using System.Text.RegularExpressions;
using LambdaSlim.Elf;
using LambdaSlim.Project;

namespace LambdaSlim.Audit;

/// <summary>
/// One file of a deployment: the artifact (function or layer) it ships in, its path in that zip, and its bytes on disk.
/// <see cref="UserFile"/> is set when the file is the user's own (from a CodeUri or ContentUri, not from pip), so the
/// advice names that folder rather than a wheel.
/// </summary>
public sealed record AuditFile(string Artifact, string ArchivePath, string SourcePath, string? Distribution, UserFile? UserFile = null);

/// <summary>A file of the user's own folder: its path from the project ("fn/vendor/_speedups.so") and the folder it came from ("CodeUri (fn/)").</summary>
public sealed record UserFile(string ProjectPath, string Folder);

/// <summary>
/// What an audit examined, each file counted once however many deployments it is part of: all files, ELF binaries
/// (of them, Python extension modules) and macOS or Windows binaries.
/// </summary>
public sealed class AuditTally
{
    private readonly HashSet<(string, string)> _files = [];
    private readonly HashSet<(string, string)> _elf = [];
    private readonly HashSet<(string, string)> _extensionModules = [];
    private readonly HashSet<(string, string)> _foreign = [];

    public int Files => _files.Count;
    public int Elf => _elf.Count;
    public int ExtensionModules => _extensionModules.Count;
    public int Foreign => _foreign.Count;

    internal void Add(AuditFile file, NativeFileKind kind, string name)
    {
        var key = (file.Artifact, file.ArchivePath);
        _files.Add(key);
        if (kind.IsForeign()) _foreign.Add(key);
        if (kind != NativeFileKind.Elf) return;
        _elf.Add(key);
        if (ExtensionModuleAbi.IsExtensionModule(name)) _extensionModules.Add(key);
    }

    /// <summary>"checked 1234 files, 12 ELF (8 extension modules)": short enough for a progress line.</summary>
    public string Describe()
    {
        var text = $"checked {Files} file{(Files == 1 ? "" : "s")}, {Elf} ELF ({ExtensionModules} extension module{(ExtensionModules == 1 ? "" : "s")})";
        return Foreign > 0 ? $"{text}, {Foreign} macOS/Windows" : text;
    }
}

/// <summary>A reason an import would fail on Lambda: what is wrong, naming the file and what it needs, and one thing to do about it.</summary>
/// <para><see cref="Needed"/> is the missing soname of a MissingLibrary finding, for --repair.</para>
public sealed record AuditFinding(string Artifact, string ArchivePath, string? Distribution, string Problem, string Fix, AuditFindingKind Kind, string? Needed = null);

public enum AuditFindingKind { WrongArchitecture, ForeignBinary, MissingLibrary, SymbolVersionTooNew, PythonAbiMismatch, WheelTagMismatch, Unreadable }

/// <summary>
/// Proves, without running anything, that every native binary of a deployment will load on a Lambda runtime:
/// right platform and architecture, every DT_NEEDED library found where the loader will look, no symbol version
/// newer than the runtime's glibc and C++ runtime, extension modules for the runtime's Python, wheels tagged for it.
/// </summary>
public static class BinaryAudit
{
    /// <summary>
    /// Audits a function and its layers. Layer files are extracted into /opt in the order their artifacts first
    /// appear in <paramref name="files"/> (a later layer overwrites an earlier one's files); the files of
    /// <paramref name="functionArtifact"/> go to /var/task. Either part may be empty: a layer can be audited alone.
    /// </summary>
    public static IReadOnlyList<AuditFinding> Run(IReadOnlyList<AuditFile> files, string runtime, string architecture, string? functionArtifact = null, AuditTally? tally = null)
    {
        var python = PythonRuntime.Parse(runtime, "audit");
        var environment = RuntimeManifest.BuiltIn.For(python.Name, architecture);
        var deployment = new LambdaFileSystem(files, functionArtifact);
        var context = new AuditContext(python, environment, deployment);

        var findings = new List<AuditFinding>();
        foreach (var file in deployment.Visible)
            findings.AddRange(NativeFileAudit.Check(context, file, tally));
        findings.AddRange(WheelTagAudit.Check(context, findings));
        return findings
            .OrderBy(f => deployment.ArtifactOrder(f.Artifact))
            .ThenBy(f => f.ArchivePath, StringComparer.Ordinal)
            .ThenBy(f => f.Kind)
            .ThenBy(f => f.Problem, StringComparer.Ordinal)
            .ToList();
    }
}

internal sealed record AuditContext(PythonRuntime Python, RuntimeEnvironment Environment, LambdaFileSystem Deployment)
{
    public string Machine => Architectures.Parse(Environment.Architecture, "audit").ToWheelMachine();
    public ushort ElfMachine => Environment.Architecture == "arm64" ? ElfConstants.MachineAarch64 : ElfConstants.MachineX86_64;
    public string Runtime => Python.Name;

    /// <summary>"manylinux_2_26 or manylinux2014": the wheels that load here, for a fix to name.</summary>
    public string WheelTagWords => string.Join(" or ", Environment.WheelTags);

    public string PipPlatforms => string.Join(' ', Environment.WheelTags.Select(t => $"--platform {t}_{Machine}"));

    public static string OfDistribution(string? distribution) => distribution is null ? "" : $" of {distribution}";
}

/// <summary>A file where Lambda puts it: layers under /opt, the function under /var/task.</summary>
internal sealed record DeployedFile(AuditFile File, string LambdaPath, bool InFunction);

/// <summary>
/// The deployment as the Lambda file system will hold it, so library lookups can follow $ORIGIN and the search
/// path exactly as the loader does.
/// </summary>
internal sealed class LambdaFileSystem
{
    public const string TaskRoot = "/var/task";
    public const string LayerRoot = "/opt";

    private readonly Dictionary<string, DeployedFile> _byPath = new(StringComparer.Ordinal);
    private readonly List<string> _artifacts = [];

    public LambdaFileSystem(IReadOnlyList<AuditFile> files, string? functionArtifact)
    {
        foreach (var file in files)
        {
            if (!_artifacts.Contains(file.Artifact)) _artifacts.Add(file.Artifact);
            var inFunction = file.Artifact == functionArtifact;
            var path = Normalize((inFunction ? TaskRoot : LayerRoot) + "/" + file.ArchivePath.TrimStart('/'));
            // Layers extract in order into one /opt: a later layer's file replaces an earlier one's.
            if (!inFunction || !_byPath.ContainsKey(path)) _byPath[path] = new DeployedFile(file, path, inFunction);
        }
    }

    /// <summary>The files that exist on Lambda (an overwritten layer file does not), in the order given.</summary>
    public IEnumerable<DeployedFile> Visible => _byPath.Values;

    public int ArtifactOrder(string artifact) => _artifacts.IndexOf(artifact);

    public DeployedFile? Find(string lambdaPath) => _byPath.GetValueOrDefault(Normalize(lambdaPath));

    public static bool IsDeploymentFolder(string dir) =>
        dir == TaskRoot || dir.StartsWith(TaskRoot + "/", StringComparison.Ordinal) || dir == LayerRoot || dir.StartsWith(LayerRoot + "/", StringComparison.Ordinal);

    public static string Directory(string path) => path[..Math.Max(path.LastIndexOf('/'), 1)];

    /// <summary>Resolves "." and ".." the way the kernel does for a path with no symlinks.</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}

internal enum ResolvedBy { Deployment, Runtime, Missing }

/// <summary>Where a needed library comes from. <c>ShadowedCopy</c> is a deployment copy the runtime's library wins over.</summary>
internal sealed record LibraryResolution(ResolvedBy By, DeployedFile? File = null, DeployedFile? ShadowedCopy = null);

/// <summary>
/// Finds a DT_NEEDED library the way ld.so does: the needing file's DT_RPATH (only when it has no DT_RUNPATH), then
/// LD_LIBRARY_PATH — the runtime's folders first, then /var/task, /var/task/lib and /opt/lib — then its DT_RUNPATH.
/// </summary>
internal static class LibraryResolver
{
    public static LibraryResolution Resolve(AuditContext context, DeployedFile file, ElfInfo elf, string needed)
    {
        var deployment = context.Deployment;
        if (needed.Contains('/'))
        {
            var direct = deployment.Find(needed.StartsWith('/') ? needed : LambdaFileSystem.TaskRoot + "/" + needed);
            return direct is null ? new LibraryResolution(ResolvedBy.Missing) : new LibraryResolution(ResolvedBy.Deployment, direct);
        }

        var origin = LambdaFileSystem.Directory(file.LambdaPath);
        if (elf.RunPath.Count == 0 && InFolders(deployment, Expand(elf.RPath, origin), needed) is { } viaRpath)
            return new LibraryResolution(ResolvedBy.Deployment, viaRpath);

        var runtimeChecked = false;
        foreach (var dir in context.Environment.Manifest.LibraryPath)
        {
            if (LambdaFileSystem.IsDeploymentFolder(dir))
            {
                if (deployment.Find(dir + "/" + needed) is { } onPath) return new LibraryResolution(ResolvedBy.Deployment, onPath);
            }
            else if (!runtimeChecked)
            {
                runtimeChecked = true;
                if (context.Environment.Provides(needed))
                    return new LibraryResolution(ResolvedBy.Runtime,
                        ShadowedCopy: InFolders(deployment, context.Environment.Manifest.LibraryPath.Concat(Expand(elf.RunPath, origin)), needed));
            }
        }

        if (InFolders(deployment, Expand(elf.RunPath, origin), needed) is { } viaRunpath)
            return new LibraryResolution(ResolvedBy.Deployment, viaRunpath);
        return new LibraryResolution(ResolvedBy.Missing);
    }

    private static DeployedFile? InFolders(LambdaFileSystem deployment, IEnumerable<string> dirs, string needed) =>
        dirs.Where(LambdaFileSystem.IsDeploymentFolder).Select(d => deployment.Find(d + "/" + needed)).FirstOrDefault(f => f is not null);

    /// <summary>$ORIGIN is the needing file's own folder (auditwheel's "$ORIGIN/../numpy.libs"); a relative entry is relative to the working directory, /var/task.</summary>
    private static IEnumerable<string> Expand(IEnumerable<string> entries, string origin) =>
        entries.Select(e => e.Replace("${ORIGIN}", origin, StringComparison.Ordinal).Replace("$ORIGIN", origin, StringComparison.Ordinal))
            .Select(e => LambdaFileSystem.Normalize(e.StartsWith('/') ? e : LambdaFileSystem.TaskRoot + "/" + e));
}

/// <summary>The checks on one file: platform, architecture, Python ABI in its name, libraries and symbol versions.</summary>
internal static class NativeFileAudit
{
    public static IEnumerable<AuditFinding> Check(AuditContext context, DeployedFile deployed, AuditTally? tally = null)
    {
        var file = deployed.File;
        var name = Path.GetFileName(file.ArchivePath);
        var kind = NativeFileKinds.Detect(file.SourcePath, name);
        tally?.Add(file, kind, name);
        if (kind.IsForeign())
        {
            // Windows launchers (setuptools' cli-64.exe, distlib's t64.exe) ride along in Linux wheels and are never loaded.
            if (name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)) yield break;
            var platform = kind == NativeFileKind.MachO ? "macOS" : kind == NativeFileKind.PortableExecutable ? "Windows" : "macOS or Windows";
            yield return file.UserFile is { } own
                ? Finding(context, deployed, AuditFindingKind.ForeignBinary,
                    $"{own.ProjectPath} is a {platform} binary in your {own.Folder}, not from pip", BuildForLinux(context))
                : Finding(context, deployed, AuditFindingKind.ForeignBinary,
                    $"{file.ArchivePath} is built for {kind.Describe()}, not Linux",
                    $"install the manylinux wheel{AuditContext.OfDistribution(file.Distribution)} for Lambda (pip {context.PipPlatforms} --only-binary=:all:)");
            yield break;
        }
        if (kind != NativeFileKind.Elf) yield break;

        var read = ElfInfo.Read(file.SourcePath);
        if (read.Info is not { } elf)
        {
            yield return Finding(context, deployed, AuditFindingKind.Unreadable,
                $"{file.ArchivePath} starts like an ELF binary but cannot be read: {read.Error}",
                $"reinstall {file.Distribution ?? "the package that owns it"}: the file is truncated or corrupt");
            yield break;
        }
        if (!elf.IsLoadable) yield break;

        if (elf.Machine != context.ElfMachine || !elf.Is64Bit || !elf.LittleEndian)
        {
            var built = $"{ElfConstants.MachineName(elf.Machine)}{(elf.Is64Bit ? "" : ", 32-bit")}{(elf.LittleEndian ? "" : ", big-endian")}";
            yield return Finding(context, deployed, AuditFindingKind.WrongArchitecture,
                $"{file.ArchivePath} is built for {built}, but the function runs on {context.Environment.Architecture}",
                $"install the {context.Machine} wheel{AuditContext.OfDistribution(file.Distribution)} (pip {context.PipPlatforms}), or set the function's Architectures to match");
            yield break;
        }

        if (ExtensionModuleAbi.Check(context, deployed, name) is { } abi) yield return abi;
        foreach (var finding in LibraryChecks(context, deployed, elf)) yield return finding;
    }

    private static IEnumerable<AuditFinding> LibraryChecks(AuditContext context, DeployedFile deployed, ElfInfo elf)
    {
        var resolutions = new Dictionary<string, LibraryResolution>(StringComparer.Ordinal);
        foreach (var needed in elf.Needed.Distinct())
        {
            var resolution = LibraryResolver.Resolve(context, deployed, elf, needed);
            resolutions[needed] = resolution;
            if (resolution.By == ResolvedBy.Missing) yield return MissingLibrary(context, deployed, needed);
        }

        // Versions are checked only against the runtime's libraries: a copy the deployment brings (auditwheel's
        // renamed libstdc++-abc123.so.6) is checked as a file of its own.
        var tooNew = new List<(SymbolVersion Needed, VersionLimit Limit, string Library, LibraryResolution Resolution)>();
        foreach (var need in elf.VersionNeeds)
        {
            var resolution = resolutions.GetValueOrDefault(need.File) ?? LibraryResolver.Resolve(context, deployed, elf, need.File);
            if (resolution.By != ResolvedBy.Runtime) continue;
            foreach (var text in need.Versions)
            {
                if (!SymbolVersion.TryParse(text, out var version)) continue;
                if (context.Environment.LimitFor(need.File, version.Prefix) is { } limit && version.IsNewerThan(limit.Max))
                    tooNew.Add((version, limit, need.File, resolution));
            }
        }
        foreach (var newest in tooNew.GroupBy(t => t.Needed.Prefix).Select(g => g.MaxBy(t => t.Needed)))
            yield return TooNew(context, deployed, newest.Needed, newest.Limit, newest.Library, newest.Resolution);
    }

    private static AuditFinding MissingLibrary(AuditContext context, DeployedFile deployed, string needed)
    {
        var file = deployed.File;
        var env = context.Environment;
        var known = env.KnownAbsent.GetValueOrDefault(needed) is { } absent
            ? $" (reported missing on Lambda: {string.Join(", ", absent.Fact.Sources.Select(s => ShortCitation(env.Manifest, s)))})"
            : "";
        var problem = $"{file.ArchivePath} needs {needed}, which is neither in the deployment nor in the {context.Runtime} runtime{known}";
        string fix;
        if (env.IsPythonLibrary(needed))
            fix = $"rebuild the module without linking {needed}: extension modules take the C API from the runtime's interpreter, as manylinux wheels do";
        else if (env.IsNeverVendored(needed))
            fix = $"{needed} is part of glibc and must never be vendored: install a {context.WheelTagWords} wheel{AuditContext.OfDistribution(file.Distribution)}, or use a newer runtime that has it";
        else
            fix = $"vendor {needed} into the {(deployed.InFunction ? "function's" : "layer's")} lib/ with --repair, or install the manylinux wheel{AuditContext.OfDistribution(file.Distribution)}, which bundles it";
        return Finding(context, deployed, AuditFindingKind.MissingLibrary, problem, fix) with { Needed = needed };
    }

    private static AuditFinding TooNew(AuditContext context, DeployedFile deployed, SymbolVersion needed, VersionLimit limit, string library, LibraryResolution resolution)
    {
        var file = deployed.File;
        var shadowed = resolution.ShadowedCopy is { } copy
            ? $"; the copy at {copy.LambdaPath} is never used, the runtime's {library} comes first on LD_LIBRARY_PATH"
            : "";
        var problem = $"{file.ArchivePath} needs {needed} (from {library}) but {context.Runtime} provides {limit.Max.Number}{shadowed}";
        var newer = context.Environment.Manifest.OldestRuntimeProviding(needed) is { } r && r != context.Runtime && IsNewer(r, context.Python)
            ? $", or set the runtime to {r} or newer"
            : "";
        var wheel = $"a {context.WheelTagWords} wheel{AuditContext.OfDistribution(file.Distribution)} (pip {context.PipPlatforms} --only-binary=:all:)";
        var fix = needed.Prefix == "GLIBC"
            ? $"use {wheel}{newer}"
            : $"use {wheel}, or rebuild it on {context.Environment.OperatingSystem} so it needs no newer C++ runtime than the system's{newer}";
        return Finding(context, deployed, AuditFindingKind.SymbolVersionTooNew, problem, fix);
    }

    private static bool IsNewer(string runtime, PythonRuntime than) => PythonRuntime.TryParse(runtime, out var r) && r.Minor > than.Minor;

    /// <summary>"isl-org/Open3D#4933" from the manifest's "isl-org/Open3D#4933 - libgomp.so.1 missing on Lambda".</summary>
    private static string ShortCitation(RuntimeManifest manifest, string key)
    {
        var text = manifest.Sources.GetValueOrDefault(key) ?? key;
        var dash = text.IndexOf(" - ", StringComparison.Ordinal);
        return dash > 0 ? text[..dash] : text;
    }

    /// <summary>What to do about a binary of the user's own folder: pip has nothing to reinstall.</summary>
    public static string BuildForLinux(AuditContext context) =>
        $"build it for Linux {context.Machine} (manylinux, {context.Python.CPythonTag}) or install the package through requirements.txt";

    /// <summary>
    /// A finding about the file. A file of the user's own folder is named by its path in the project, and the fix
    /// (which for pip's files says which wheel to install) says that it is the user's and what to do instead.
    /// </summary>
    public static AuditFinding Finding(AuditContext context, DeployedFile deployed, AuditFindingKind kind, string problem, string fix)
    {
        var file = deployed.File;
        if (file.UserFile is { } own && kind != AuditFindingKind.ForeignBinary)
        {
            problem = problem.StartsWith(file.ArchivePath, StringComparison.Ordinal) ? own.ProjectPath + problem[file.ArchivePath.Length..] : problem;
            const string Repair = " with --repair";
            var repair = fix.IndexOf(Repair, StringComparison.Ordinal);
            fix = kind == AuditFindingKind.MissingLibrary && repair > 0
                ? $"{fix[..(repair + Repair.Length)]}; the file is in your {own.Folder}, not from pip, so otherwise {BuildForLinux(context)}"
                : $"it is in your {own.Folder}, not from pip: {BuildForLinux(context)}";
        }
        return new(file.Artifact, file.ArchivePath, file.Distribution, problem, fix, kind);
    }
}

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
            var fix = flags.Length == 0 && PythonRuntime.TryParse($"python{built}", out var match)
                ? $"rebuild it for {python.Version} (pip --python-version {python.Version} installs the {python.CPythonTag} wheel), or set the runtime to {match.Name}"
                : $"install the {python.CPythonTag} build{AuditContext.OfDistribution(file.Distribution)} (pip --python-version {python.Version})";
            return NativeFileAudit.Finding(context, deployed, AuditFindingKind.PythonAbiMismatch,
                $"{file.ArchivePath} is {what} in a {python.Name} runtime, which only imports {python.CPythonTag} and abi3 modules", fix);
        }
        if (platform != expectedPlatform)
            return NativeFileAudit.Finding(context, deployed, AuditFindingKind.PythonAbiMismatch,
                $"{file.ArchivePath} is an extension module for {platform}, but {python.Name} on {context.Environment.Architecture} only imports {expectedPlatform} modules",
                $"install the {context.Machine} manylinux wheel{AuditContext.OfDistribution(file.Distribution)} (pip {context.PipPlatforms})");
        return null;
    }
}

/// <summary>
/// The tags in each installed wheel's .dist-info/WHEEL say what it was built for. At least one must fit the runtime:
/// its Python (py3, its own cpXY, or abi3 from an older cpXY) and its platform (any, or manylinux for its machine
/// with a glibc no newer than the runtime's). A plain linux_x86_64 tag (a wheel built on one machine) cannot be
/// proven either way, so it is only reported when that distribution's binaries already failed another check.
/// </summary>
internal static partial class WheelTagAudit
{
    private enum Fit { Yes, Unproven, No }

    private sealed record TagVerdict(Fit Python, Fit Platform, string Tag, string? PlatformReason);

    [GeneratedRegex(@"^manylinux_(?<major>\d+)_(?<minor>\d+)_(?<arch>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PerGlibcManylinux();

    [GeneratedRegex(@"(?:^|/)(?<name>[^/]+?)-(?<version>[^/-]+)\.dist-info/WHEEL$", RegexOptions.CultureInvariant)]
    private static partial Regex WheelFile();

    private static readonly Dictionary<string, (int Major, int Minor)> LegacyManylinux = new(StringComparer.Ordinal)
    {
        // PEP 513, 571 and 599 aliases for the per-glibc tags of PEP 600.
        ["manylinux1"] = (2, 5),
        ["manylinux2010"] = (2, 12),
        ["manylinux2014"] = (2, 17),
    };

    public static IEnumerable<AuditFinding> Check(AuditContext context, IReadOnlyList<AuditFinding> binaryFindings)
    {
        foreach (var deployed in context.Deployment.Visible)
        {
            var file = deployed.File;
            var m = WheelFile().Match(file.ArchivePath);
            if (!m.Success) continue;
            var distribution = file.Distribution ?? m.Groups["name"].Value;
            var label = $"{distribution} {m.Groups["version"].Value}";
            var tags = ReadTags(file.SourcePath);
            if (tags.Count == 0) continue;

            var verdicts = tags.Select(t => Judge(context, t)).ToList();
            if (verdicts.Any(v => v.Python == Fit.Yes && v.Platform == Fit.Yes)) continue;

            var sameDistribution = binaryFindings.Any(f => f.Distribution is { } d && Install.Distribution.Normalize(d) == Install.Distribution.Normalize(distribution));
            var unproven = verdicts.FirstOrDefault(v => v.Python == Fit.Yes && v.Platform == Fit.Unproven);
            if (unproven is not null)
            {
                if (!sameDistribution) continue;
                yield return NativeFileAudit.Finding(context, deployed, AuditFindingKind.WheelTagMismatch,
                    $"{label} is a {unproven.Tag} wheel, built for one Linux machine rather than for manylinux, and its binaries fail on {context.Runtime} (see above)",
                    $"install the manylinux wheel of {distribution} from PyPI (pip {context.PipPlatforms} --only-binary=:all:)");
                continue;
            }

            var pythonFits = verdicts.Where(v => v.Python == Fit.Yes).ToList();
            if (pythonFits.Count == 0)
            {
                yield return NativeFileAudit.Finding(context, deployed, AuditFindingKind.WheelTagMismatch,
                    $"{label} is tagged {string.Join(", ", tags)}, which is not for {context.Runtime} ({context.Python.CPythonTag}, abi3 or py3)",
                    $"install the {context.Python.CPythonTag} wheel of {distribution} (pip --python-version {context.Python.Version} --only-binary=:all:)");
                continue;
            }
            var reason = pythonFits.Select(v => v.PlatformReason).First(r => r is not null);
            yield return NativeFileAudit.Finding(context, deployed, AuditFindingKind.WheelTagMismatch,
                $"{label} is tagged {string.Join(", ", pythonFits.Select(v => v.Tag))}: {reason}",
                $"install a {context.WheelTagWords} wheel of {distribution} (pip {context.PipPlatforms} --only-binary=:all:){NewerRuntimeHint(context, pythonFits)}");
        }
    }

    /// <summary>The expanded tags of a WHEEL file ("Tag: cp311-cp311-manylinux_2_17_x86_64"); compressed tag sets are expanded too.</summary>
    private static List<string> ReadTags(string path)
    {
        try
        {
            return File.ReadLines(path)
                .Where(l => l.StartsWith("Tag:", StringComparison.OrdinalIgnoreCase))
                .Select(l => l[4..].Trim())
                .SelectMany(Expand)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static IEnumerable<string> Expand(string tag)
    {
        var parts = tag.Split('-');
        if (parts.Length != 3) return [];
        return from py in parts[0].Split('.') from abi in parts[1].Split('.') from plat in parts[2].Split('.') select $"{py}-{abi}-{plat}";
    }

    private static TagVerdict Judge(AuditContext context, string tag)
    {
        var parts = tag.Split('-');
        var python = JudgePython(context.Python, parts[0], parts[1]);
        var (platform, reason) = JudgePlatform(context, parts[2]);
        return new TagVerdict(python, platform, tag, reason);
    }

    private static Fit JudgePython(PythonRuntime runtime, string interpreter, string abi)
    {
        if (interpreter.StartsWith("py", StringComparison.Ordinal))
        {
            // py3 and py3N (N up to the runtime's minor) are pure Python tags; their ABI is "none".
            var digits = interpreter[2..];
            var ok = digits == "3" || (digits.Length > 1 && digits[0] == '3' && int.TryParse(digits[1..], out var n) && n <= runtime.Minor);
            return ok && abi is "none" or "abi3" ? Fit.Yes : Fit.No;
        }
        if (!interpreter.StartsWith("cp3", StringComparison.Ordinal) || !int.TryParse(interpreter[3..], out var minor)) return Fit.No;
        return abi switch
        {
            "abi3" => minor <= runtime.Minor ? Fit.Yes : Fit.No,
            "none" => minor == runtime.Minor ? Fit.Yes : Fit.No,
            _ => abi == runtime.CPythonTag && minor == runtime.Minor ? Fit.Yes : Fit.No,
        };
    }

    private static (Fit Fit, string? Reason) JudgePlatform(AuditContext context, string platform)
    {
        if (platform == "any") return (Fit.Yes, null);
        var machine = context.Machine;
        var glibc = context.Environment.Glibc;
        if (platform.StartsWith("musllinux_", StringComparison.Ordinal))
            return (Fit.No, "musllinux wheels need musl libc, and Lambda runs glibc");
        if (platform.StartsWith("macosx_", StringComparison.Ordinal) || platform.StartsWith("win", StringComparison.Ordinal))
            return (Fit.No, $"that is a {(platform.StartsWith("win", StringComparison.Ordinal) ? "Windows" : "macOS")} wheel");
        if (platform.StartsWith("linux_", StringComparison.Ordinal))
            return platform == $"linux_{machine}" ? (Fit.Unproven, null) : (Fit.No, $"built for {platform[6..]}, and the function runs on {machine}");

        (int Major, int Minor)? needs = null;
        string arch;
        if (PerGlibcManylinux().Match(platform) is { Success: true } m)
        {
            needs = (int.Parse(m.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture));
            arch = m.Groups["arch"].Value;
        }
        else if (platform.IndexOf('_') is var underscore and > 0 && LegacyManylinux.TryGetValue(platform[..underscore], out var legacy))
        {
            needs = legacy;
            arch = platform[(underscore + 1)..];
        }
        else
        {
            return (Fit.No, $"{platform} is not a Linux platform");
        }
        if (arch != machine) return (Fit.No, $"built for {arch}, and the function runs on {machine}");
        var needed = new SymbolVersion("GLIBC", [needs.Value.Major, needs.Value.Minor]);
        return needed.IsNewerThan(glibc)
            ? (Fit.No, $"that needs glibc {needed.Number}, and {context.Runtime} has {glibc.Number}")
            : (Fit.Yes, null);
    }

    private static string NewerRuntimeHint(AuditContext context, List<TagVerdict> verdicts)
    {
        var needs = verdicts.Select(v => PerGlibcManylinux().Match(v.Tag.Split('-')[2]))
            .Where(m => m.Success)
            .Select(m => new SymbolVersion("GLIBC", [int.Parse(m.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture)]))
            .MinBy(v => v);
        return needs is not null && context.Environment.Manifest.OldestRuntimeProviding(needs) is { } r && PythonRuntime.TryParse(r, out var newer) && newer.Minor > context.Python.Minor
            ? $", or set the runtime to {r} or newer"
            : "";
    }
}
