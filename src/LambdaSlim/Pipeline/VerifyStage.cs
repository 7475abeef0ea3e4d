using LambdaSlim.Project;
using LambdaSlim.Prune;
using LambdaSlim.Verify;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Pipeline;

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
            for (var i = 0; i < results.Count; i++)
            {
                var (r, unit) = (results[i], units[i]);
                if (r.SkippedBecause is not null)
                {
                    findings.Add(new Finding(Severity.Warning, r.Unit, $"import verification skipped: {r.SkippedBecause}; to verify pruning and the handler, {PythonFinder.InstallHint(unit.Runtime)}"));
                    if (HandlerFileMissing(unit) is { } missing) findings.Add(new Finding(Severity.Error, r.Unit, missing, "imports"));
                }
                if (r.HandlerError is { } handlerError) findings.Add(HandlerFinding(unit, handlerError));
                var optional = OptionalImports(context, unit);
                foreach (var (module, error) in r.PreExisting)
                    findings.Add(optional.Contains(module.Split('.')[0])
                        ? new Finding(Severity.Info, r.Unit, $"import {module} fails ({error}); listed under optional-imports, so it may")
                        : new Finding(Severity.Error, r.Unit, $"import {module} fails even before pruning ({error}), so it fails on Lambda too: " +
                            "install a build of it for this runtime, or list it under 'Metadata: LambdaSlim: optional-imports:' if nothing imports it", "imports"));
                foreach (var b in r.Broken)
                    findings.Add(new Finding(Severity.Error, r.Unit, b.Describe() +
                        ": rerun with --repair to put the files back, or add them to 'Metadata: LambdaSlim: keep:'", "imports"));
            }
            return findings;
        }
    }

    /// <summary>Top-level modules the unit's resources (or the template) say may fail to import: optional extras nothing imports.</summary>
    private static HashSet<string> OptionalImports(BuildContext context, VerificationUnit unit)
    {
        var names = unit.Layers.Select(l => l.Name).Append(unit.Function?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var settings = context.Project.Layers.Where(l => names.Contains($"layer {l.LogicalId}")).Select(l => l.Settings)
            .Concat(context.Project.Functions.Where(f => names.Contains($"function {f.LogicalId}")).Select(f => f.Settings))
            .Append(context.Project.Defaults);
        return settings.SelectMany(s => s.GetList("optional-imports")).ToHashSet(StringComparer.Ordinal);
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
            yield return new VerificationUnit($"function {spec.LogicalId}", spec.Runtime, fnLayers.Select(ToVerified).ToList(), ToVerified(artifact), spec.HandlerModule, spec.HandlerFunction);
        }
        foreach (var layer in layers.Where(l => !used.Contains(l.LogicalId)))
        {
            // A layer that assumes others is only importable with them underneath.
            var stack = (layer.AssumesLayers ?? []).Where(byId.ContainsKey).Select(a => byId[a]).Append(layer).Select(ToVerified).ToList();
            yield return new VerificationUnit(layer.Name, layer.Runtime, stack, null, null);
        }
    }

    /// <summary>
    /// Modules the Lambda Python runtime itself provides (the AWS SDK and what it needs: AWS Lambda developer guide,
    /// "Building Lambda functions with Python"). A handler that imports one without packaging it works on Lambda,
    /// but not in the verification layout, which has only what ships.
    /// </summary>
    private static readonly string[] RuntimeProvided = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six"];

    /// <summary>A handler that fails to import, or lacks its function, fails every call on Lambda: an error, unless the runtime provides the missing module.</summary>
    private static Finding HandlerFinding(VerificationUnit unit, string error)
    {
        var handler = $"{unit.HandlerModule}.{unit.HandlerFunction}";
        var missing = System.Text.RegularExpressions.Regex.Match(error, @"^ModuleNotFoundError: No module named '([^'.]+)");
        if (missing.Success && RuntimeProvided.Contains(missing.Groups[1].Value))
            return new Finding(Severity.Warning, unit.Name,
                $"handler {handler} imports {missing.Groups[1].Value}, which is not packaged: the Lambda runtime provides its own copy, so the handler could not be verified here", "imports");
        return new Finding(Severity.Error, unit.Name,
            $"handler {handler} cannot be loaded ({error}): Lambda would fail on every call; fix the Handler property or the code in CodeUri", "imports");
    }

    /// <summary>Without an interpreter, at least the handler's module must exist in the function or its layers.</summary>
    private static string? HandlerFileMissing(VerificationUnit unit)
    {
        if (unit.Function is null || unit.HandlerModule is null) return null;
        var module = unit.HandlerModule.Replace('.', '/');
        var roots = new List<(string Prefix, VerifiedArtifact Artifact)> { ("", unit.Function) };
        foreach (var layer in unit.Layers)
        {
            roots.Add(("python/", layer));
            roots.Add(($"python/lib/python{unit.Runtime.Version}/site-packages/", layer));
        }
        foreach (var (prefix, artifact) in roots)
        {
            var path = prefix + module;
            if (artifact.After.Paths.Any(p => p == path + ".py" || p == path + ".pyc" || p == path + "/__init__.py" || p == path + "/__init__.pyc"
                || (p.StartsWith(path + ".", StringComparison.Ordinal) && p.EndsWith(".so", StringComparison.Ordinal) && !p[(path.Length + 1)..].Contains('/'))))
                return null;
        }
        return $"handler {unit.HandlerModule}.{unit.HandlerFunction}: no module {module}.py in the function's CodeUri or its layers: Lambda would fail on every call; fix the Handler property or add the file";
    }

    private static VerifiedArtifact ToVerified(PreparedArtifact a) => new(a.Name, a.VerifyBefore, a.Shipped, a.Prune.Plan.Removed);
}
