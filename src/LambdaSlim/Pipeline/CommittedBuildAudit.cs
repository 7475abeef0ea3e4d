using LambdaSlim.Audit;
using LambdaSlim.IO;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Pipeline;

/// <summary>
/// `lambdaslim audit` on what is built: the zips of .lambdaslim/build/ as report.json describes them, audited the way
/// the build's audit stage does (each function with the layers it runs with, each layer no function uses with the
/// layers it assumes), but from the zips themselves, so nothing is installed and pip is never run.
/// </summary>
public static class CommittedBuildAudit
{
    public static ZipAuditResult Run(BuildPaths paths, IBuildObserver observer)
    {
        if (!File.Exists(paths.Report)) CommittedBuild.Load(paths); // says "run lambdaslim build first" without creating .lambdaslim
        using var projectLock = ProjectLock.Acquire(paths);
        var report = CommittedBuild.Load(paths);
        var layers = report.Layers.ToDictionary(l => l.LogicalId, StringComparer.Ordinal);
        var work = Path.Combine(paths.Work, "audit");
        try
        {
            var extractor = new ZipAudit.Extractor(work);
            List<AuditFinding> findings;
            using (var step = observer.Step("Auditing the built zips' native binaries against the Lambda runtime"))
            {
                var tally = new AuditTally();
                findings = Units(report, layers).SelectMany(u => ZipAudit.Run(extractor, u.Stack.Select(a => Zip(paths, a)).ToList(), u.Runtime, u.Architecture, tally))
                    .DistinctBy(f => (f.Artifact, f.ArchivePath, f.Kind, f.Problem)).ToList();
                step.Status($"audit: {findings.Count} finding{(findings.Count == 1 ? "" : "s")} in {extractor.Zips} zip{(extractor.Zips == 1 ? "" : "s")}; {tally.Describe()}");
            }
            return new ZipAuditResult(findings, extractor.Zips);
        }
        finally
        {
            WriteBoundary.DeleteDirectory(work);
        }
    }

    private static AuditedZip Zip(BuildPaths paths, ArtifactReport artifact) =>
        new($"{artifact.Kind} {artifact.LogicalId}", Path.Combine(paths.Output, artifact.Zip), artifact.Kind == ArtifactReport.LayerKind);

    private sealed record Unit(IReadOnlyList<ArtifactReport> Stack, PythonRuntime Runtime, Architecture Architecture);

    /// <summary>The same deployments as the build's audit stage: functions with their layers, in their order, then each unused layer.</summary>
    private static IEnumerable<Unit> Units(BuildReport report, Dictionary<string, ArtifactReport> layers)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fn in report.Functions)
        {
            var total = report.Totals.FirstOrDefault(t => t.LogicalId == fn.LogicalId);
            var stack = (total?.Layers ?? []).Where(l => !l.External && layers.ContainsKey(l.Name)).Select(l => layers[l.Name]).ToList();
            used.UnionWith(stack.Select(l => l.LogicalId));
            yield return new Unit([.. stack, fn], PythonRuntimes.Parse(fn.Runtime, "audit"), Architectures.Parse(fn.Architecture, "audit"));
        }
        foreach (var layer in report.Layers.Where(l => !used.Contains(l.LogicalId)))
        {
            var stack = (layer.AssumesLayers ?? []).Where(layers.ContainsKey).Select(a => layers[a]).Append(layer).ToList();
            yield return new Unit(stack, PythonRuntimes.Parse(layer.Runtime, "audit"), Architectures.Parse(layer.Architecture, "audit"));
        }
    }
}
