using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Audit;

/// <summary>
/// Audits every native binary of what the build will ship, per group (a function with its layers, and each layer no
/// function uses with the layers it assumes), against what the Lambda runtime provides. Repair is a separate step:
/// <see cref="PlanRepair"/> says which missing libraries found on the build machine to vendor into an artifact's lib/;
/// the pipeline vendors them and audits again.
/// </summary>
public static class AuditStage
{
    public const string StepTitle = "Auditing native binaries against the Lambda runtime";

    /// <param name="artifacts">Every artifact of the groups, by name.</param>
    /// <param name="projectDir">The project folder, which names the user's own files in findings.</param>
    public static AuditOutcome Run(ArtifactGroups groups, IReadOnlyDictionary<string, AuditedArtifact> artifacts, string projectDir)
    {
        var tally = new AuditTally();
        var byGroup = groups.All.ToDictionary(g => g.Name, g => (IReadOnlyList<AuditFinding>)BinaryAudit.Run(
            g.Members.Select(m => artifacts[m]).SelectMany(a => Files(projectDir, a)).ToList(), g.Runtime, g.Architecture, g.Function, tally), StringComparer.Ordinal);
        var findings = groups.All.SelectMany(g => byGroup[g.Name]).DistinctBy(f => (f.Artifact, f.ArchivePath, f.Kind, f.Problem)).ToList();
        return new AuditOutcome(findings, tally, byGroup);
    }

    /// <summary>The missing libraries to copy into the artifacts' lib/, and why others cannot be.</summary>
    public static VendorPlan PlanRepair(AuditOutcome outcome, IReadOnlyDictionary<string, AuditedArtifact> artifacts)
    {
        var libraries = new List<VendoredLibrary>();
        var warnings = new List<string>();
        foreach (var group in outcome.Findings.Where(f => f.Kind == AuditFindingKind.MissingLibrary && f.Needed is not null).GroupBy(f => (f.Artifact, f.Needed!)))
        {
            var artifact = artifacts[group.Key.Artifact];
            var soname = group.Key.Item2;
            var target = "lib/" + soname;
            if (artifact.Shipped.Contains(target)) continue;
            if (RuntimeManifest.BuiltIn.NeverVendor.Contains(soname))
            {
                warnings.Add($"repair: {soname} is part of glibc and must come from the runtime; not vendored");
                continue;
            }
            var architecture = artifact.Artifact.Architecture;
            var machine = architecture == Architecture.Arm64 ? ElfInfo.MachineAarch64 : ElfInfo.MachineX86_64;
            var source = LibraryVendor.Find(soname, machine);
            if (source is null)
            {
                warnings.Add($"repair: {soname} ({architecture.ToLambdaName()}) is not on this machine; install it (e.g. apt-get install the package that ships it) and repair again");
                continue;
            }
            libraries.Add(new VendoredLibrary(group.Key.Artifact, target, source));
            warnings.Add($"repair: vendored {soname} into {group.Key.Artifact} as {target} (from {source}), needed by {group.Count()} file{(group.Count() == 1 ? "" : "s")}");
        }
        return new VendorPlan(libraries, warnings);
    }

    private static IEnumerable<AuditFile> Files(string projectDir, AuditedArtifact audited)
    {
        var a = audited.Artifact;
        // Pruning may have replaced a file with its stripped copy: the user's file is named by where it came from.
        var original = a.Unpruned.Entries.ToDictionary(e => e.ArchivePath, e => e.Source, StringComparer.Ordinal);
        return audited.Shipped.Entries.Select(e => new AuditFile(a.Name, e.ArchivePath, e.Source, e.Owner?.Name,
            e.Installed ? null : UserFileOf(projectDir, a, e.ArchivePath, original.GetValueOrDefault(e.ArchivePath) ?? e.Source)));
    }

    /// <summary>
    /// A file of the user's own folder, named from the project ("fn/vendor/_speedups.so"), and that folder: the part
    /// of its path before the part it keeps in the zip ("fn/" for vendor/_speedups.so).
    /// </summary>
    private static UserFile UserFileOf(string projectDir, PreparedArtifact a, string archivePath, string sourcePath)
    {
        var projectPath = Path.GetRelativePath(projectDir, sourcePath).Replace('\\', '/');
        var source = projectPath.Split('/');
        var archive = archivePath.Split('/');
        var common = 0;
        while (common < source.Length && common < archive.Length && source[^(common + 1)] == archive[^(common + 1)]) common++;
        var folder = string.Join('/', source[..^common]);
        var label = a.Kind == ArtifactReport.LayerKind ? "ContentUri" : "CodeUri";
        return new UserFile(projectPath, $"{label} ({(folder.Length == 0 ? "./" : folder + "/")})");
    }
}
