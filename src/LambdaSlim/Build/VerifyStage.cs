using LambdaSlim.Project;
using LambdaSlim.Prune;
using LambdaSlim.Validate;
using LambdaSlim.Verify;

namespace LambdaSlim.Build;

/// <summary>
/// Runs import verification over what the build prepared: each function with its layers, and each layer no
/// function uses on its own. With repair, files a failing import needed are put back and it runs again.
/// </summary>
public static class VerifyStage
{
    private const int MaxRepairRounds = 5;

    public static async Task<IReadOnlyList<Finding>> RunAsync(
        BuildContext context, IReadOnlyList<PreparedArtifact> layers, IReadOnlyList<(FunctionSpec Spec, PreparedArtifact Artifact)> functions,
        bool repair, Func<PreparedArtifact, Task> refresh, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var workDir = Path.Combine(context.Paths.Work, "verify");
        var byId = layers.ToDictionary(l => l.LogicalId);
        for (var round = 0; ; round++)
        {
            var units = Units(layers, functions, byId).ToList();
            var results = new List<VerificationResult>();
            using (var step = context.Observer.Step($"Verifying imports ({units.Count} unit{(units.Count == 1 ? "" : "s")}: before and after pruning)", units.Count))
            {
                for (var i = 0; i < units.Count; i++)
                {
                    step.Status($"importing modules for {units[i].Name}");
                    results.Add(await ImportVerifier.VerifyAsync(units[i], workDir, cancellationToken).ConfigureAwait(false));
                    step.Report(i + 1);
                }
                step.Status($"checked {results.Sum(r => r.ModulesChecked)} imports, {results.Sum(r => r.Broken.Count)} broken by pruning");
            }
            var broken = results.SelectMany(r => r.Broken).ToList();
            var fixable = broken.Where(b => b.Blamed.Count > 0).ToList();
            if (broken.Count > 0 && repair && fixable.Count == broken.Count && round < MaxRepairRounds)
            {
                foreach (var group in fixable.SelectMany(b => b.Blamed).DistinctBy(b => (b.Artifact, b.ArchivePath)).GroupBy(b => b.Artifact))
                {
                    var artifact = layers.Concat(functions.Select(f => f.Artifact)).First(a => a.Name == group.Key);
                    artifact.Prune = Pruner.Restore(artifact.Prune, group.Select(b => b.ArchivePath).ToHashSet(StringComparer.Ordinal));
                    await refresh(artifact).ConfigureAwait(false);
                    context.Observer.Warn($"repair: put back {group.Count()} file{(group.Count() == 1 ? "" : "s")} in {group.Key} that imports needed ({string.Join(", ", group.Select(b => b.Rule).Distinct())}); verifying again");
                }
                continue;
            }
            foreach (var r in results)
            {
                if (r.SkippedBecause is not null)
                    findings.Add(new Finding(Severity.Warning, r.Unit, $"import verification skipped: {r.SkippedBecause}; install that Python (e.g. pyenv install) to verify pruning"));
                foreach (var (module, error) in r.PreExisting)
                    findings.Add(new Finding(Severity.Info, r.Unit, $"import {module} already fails before pruning ({error}); not caused by pruning"));
                foreach (var b in r.Broken)
                    findings.Add(new Finding(Severity.Error, r.Unit, b.Describe() +
                        ": rerun with --repair to put the files back, or add them to 'Metadata: LambdaSlim: keep:'", "imports"));
            }
            return findings;
        }
    }

    private static IEnumerable<VerificationUnit> Units(
        IReadOnlyList<PreparedArtifact> layers, IReadOnlyList<(FunctionSpec Spec, PreparedArtifact Artifact)> functions,
        Dictionary<string, PreparedArtifact> byId)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (spec, artifact) in functions)
        {
            var fnLayers = spec.Layers.OfType<LayerRef.Local>().Where(l => byId.ContainsKey(l.LogicalId)).Select(l => byId[l.LogicalId]).ToList();
            used.UnionWith(fnLayers.Select(l => l.LogicalId));
            yield return new VerificationUnit($"function {spec.LogicalId}", spec.Runtime, fnLayers.Select(ToVerified).ToList(), ToVerified(artifact), spec.HandlerModule);
        }
        foreach (var layer in layers.Where(l => !used.Contains(l.LogicalId)))
        {
            // A layer that assumes others is only importable with them underneath.
            var stack = (layer.AssumesLayers ?? []).Where(byId.ContainsKey).Select(a => byId[a]).Append(layer).Select(ToVerified).ToList();
            yield return new VerificationUnit(layer.Name, layer.Runtime, stack, null, null);
        }
    }

    private static VerifiedArtifact ToVerified(PreparedArtifact a) => new(a.Name, a.VerifyBefore, a.Shipped, a.Prune.Plan.Removed);
}
