using LambdaSlim.Audit;
using LambdaSlim.Project;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Pipeline;

public enum AuditMode { Error, Warn, Off }

/// <summary>
/// Audits every native binary of what the build will ship, per function with its layers (and each layer no function
/// uses on its own), against what the Lambda runtime provides. With repair, missing libraries found on the build
/// machine are vendored into the artifact's lib/, and the audit runs again.
/// </summary>
public static class AuditStage
{
    private const int MaxRepairRounds = 10;

    public static IReadOnlyList<Finding> Run(
        BuildContext context, IReadOnlyList<PreparedArtifact> layers, IReadOnlyList<(FunctionSpec Spec, PreparedArtifact Artifact)> functions,
        AuditMode mode, bool repair)
    {
        if (mode == AuditMode.Off) return [];
        var byId = layers.ToDictionary(l => l.LogicalId);
        var all = layers.Concat(functions.Select(f => f.Artifact)).ToDictionary(a => a.Name);
        List<AuditFinding> findings;
        using (var step = context.Observer.Step("Auditing native binaries against the Lambda runtime"))
        {
            AuditTally tally;
            for (var round = 0; ; round++)
            {
                tally = new AuditTally();
                var examined = tally;
                findings = Units(context, layers, functions, byId).SelectMany(u => BinaryAudit.Run(u.Files, u.Runtime, u.Architecture, u.Function, examined))
                    .DistinctBy(f => (f.Artifact, f.ArchivePath, f.Kind, f.Problem)).ToList();
                if (!repair || round >= MaxRepairRounds || !Vendor(context, findings, all)) break;
            }
            var inFiles = findings.Select(f => (f.Artifact, f.ArchivePath)).Distinct().Count();
            step.Status(findings.Count == 0
                ? $"audit: no findings; {tally.Describe()}"
                : $"audit: {findings.Count} finding{(findings.Count == 1 ? "" : "s")} in {inFiles} file{(inFiles == 1 ? "" : "s")}; {tally.Describe()}");
        }
        var severity = mode == AuditMode.Error ? Severity.Error : Severity.Warning;
        return findings.Select(f => new Finding(severity, f.Artifact, $"{f.Problem}: {f.Fix}", "audit")).ToList();
    }

    /// <summary>Copies missing libraries into the artifact's lib/. Returns true when anything was added.</summary>
    private static bool Vendor(BuildContext context, List<AuditFinding> findings, Dictionary<string, PreparedArtifact> artifacts)
    {
        var added = false;
        foreach (var group in findings.Where(f => f.Kind == AuditFindingKind.MissingLibrary && f.Needed is not null).GroupBy(f => (f.Artifact, f.Needed!)))
        {
            var artifact = artifacts[group.Key.Artifact];
            var soname = group.Key.Item2;
            var target = "lib/" + soname;
            if (artifact.Shipped.Contains(target)) continue;
            if (RuntimeManifest.BuiltIn.NeverVendor.Contains(soname))
            {
                context.Observer.Warn($"repair: {soname} is part of glibc and must come from the runtime; not vendored");
                continue;
            }
            var machine = artifact.Architecture == Architecture.Arm64 ? ElfInfo.MachineAarch64 : ElfInfo.MachineX86_64;
            var source = LibraryVendor.Find(soname, machine);
            if (source is null)
            {
                context.Observer.Warn($"repair: {soname} ({artifact.Architecture.ToLambdaName()}) is not on this machine; install it (e.g. apt-get install the package that ships it) and repair again");
                continue;
            }
            artifact.Vendored[target] = source;
            artifact.Shipped.TryAdd(target, source, owner: null, installed: true);
            context.Observer.Warn($"repair: vendored {soname} into {artifact.Name} as {target} (from {source}), needed by {group.Count()} file{(group.Count() == 1 ? "" : "s")}");
            added = true;
        }
        return added;
    }

    private sealed record AuditUnit(IReadOnlyList<AuditFile> Files, PythonRuntime Runtime, Architecture Architecture, string? Function);

    private static IEnumerable<AuditUnit> Units(BuildContext context, IReadOnlyList<PreparedArtifact> layers, IReadOnlyList<(FunctionSpec Spec, PreparedArtifact Artifact)> functions, Dictionary<string, PreparedArtifact> byId)
    {
        IEnumerable<AuditFile> Files(PreparedArtifact a) => AuditStage.Files(context, a);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (spec, fn) in functions)
        {
            var stack = spec.Layers.OfType<LayerRef.Local>().Where(l => byId.ContainsKey(l.LogicalId)).Select(l => byId[l.LogicalId]).ToList();
            used.UnionWith(stack.Select(l => l.LogicalId));
            yield return new AuditUnit(stack.Append(fn).SelectMany(Files).ToList(), spec.Runtime, spec.Architecture, fn.Name);
        }
        foreach (var layer in layers.Where(l => !used.Contains(l.LogicalId)))
        {
            var stack = (layer.AssumesLayers ?? []).Where(byId.ContainsKey).Select(a => byId[a]).Append(layer);
            yield return new AuditUnit(stack.SelectMany(Files).ToList(), layer.Runtime, layer.Architecture, null);
        }
    }

    private static IEnumerable<AuditFile> Files(BuildContext context, PreparedArtifact a)
    {
        // Pruning may have replaced a file with its stripped copy: the user's file is named by where it came from.
        var original = a.Unpruned.Entries.ToDictionary(e => e.ArchivePath, e => e.Source, StringComparer.Ordinal);
        return a.Shipped.Entries.Select(e => new AuditFile(a.Name, e.ArchivePath, e.Source, e.Owner?.Name,
            e.Installed ? null : UserFileOf(context, a, e.ArchivePath, original.GetValueOrDefault(e.ArchivePath) ?? e.Source)));
    }

    /// <summary>
    /// A file of the user's own folder, named from the project ("fn/vendor/_speedups.so"), and that folder: the part
    /// of its path before the part it keeps in the zip ("fn/" for vendor/_speedups.so).
    /// </summary>
    private static UserFile UserFileOf(BuildContext context, PreparedArtifact a, string archivePath, string sourcePath)
    {
        var projectPath = Path.GetRelativePath(context.Project.ProjectDir, sourcePath).Replace('\\', '/');
        var source = projectPath.Split('/');
        var archive = archivePath.Split('/');
        var common = 0;
        while (common < source.Length && common < archive.Length && source[^(common + 1)] == archive[^(common + 1)]) common++;
        var folder = string.Join('/', source[..^common]);
        var label = a.Kind == ArtifactReport.LayerKind ? "ContentUri" : "CodeUri";
        return new UserFile(projectPath, $"{label} ({(folder.Length == 0 ? "./" : folder + "/")})");
    }
}
