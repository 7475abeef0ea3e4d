using LambdaSlim.Elf;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Audit;

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
                $"{file.ArchivePath} is built for {built}, but the function runs on {context.Environment.Architecture.ToLambdaName()}",
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
        var newer = context.Environment.Manifest.OldestRuntimeProviding(needed) is { } r && r.Minor > context.Python.Minor
            ? $", or set the runtime to {r} or newer"
            : "";
        var wheel = $"a {context.WheelTagWords} wheel{AuditContext.OfDistribution(file.Distribution)} (pip {context.PipPlatforms} --only-binary=:all:)";
        var fix = needed.Prefix == "GLIBC"
            ? $"use {wheel}{newer}"
            : $"use {wheel}, or rebuild it on {context.Environment.OperatingSystem} so it needs no newer C++ runtime than the system's{newer}";
        return Finding(context, deployed, AuditFindingKind.SymbolVersionTooNew, problem, fix);
    }

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
