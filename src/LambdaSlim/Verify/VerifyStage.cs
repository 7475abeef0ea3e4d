using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Verify;

/// <summary>
/// Runs import verification over the build's groups (each function with its layers, and each layer no function uses
/// with the layers it assumes). When pruning broke imports and removed files explain every break, it says which files
/// to put back; the pipeline does that (with --repair) and verifies again.
/// </summary>
public static class VerifyStage
{
    /// <param name="artifacts">Every artifact of the groups, by name.</param>
    /// <param name="optionalImports">Each artifact's optional-imports (by name), and the template's under the empty name.</param>
    /// <param name="workDir">Where the Lambda-like layouts are made (work/verify).</param>
    public static async Task<VerifyOutcome> RunAsync(
        ArtifactGroups groups, IReadOnlyDictionary<string, VerifiedArtifact> artifacts, IReadOnlyDictionary<string, IReadOnlyList<string>> optionalImports,
        string workDir, IBuildObserver observer, CancellationToken cancellationToken)
    {
        var units = groups.All.Select(g => new VerificationUnit(g.Name, g.Runtime, g.Layers.Select(l => artifacts[l]).ToList(),
            g.Function is null ? null : artifacts[g.Function], g.HandlerModule, g.HandlerFunction)).ToList();
        var results = new List<VerificationResult>();
        using (var step = observer.Step($"Verifying imports ({units.Count} unit{(units.Count == 1 ? "" : "s")}: before and after pruning)", units.Count))
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
        var restore = broken.Count > 0 && broken.All(b => b.Blamed.Count > 0)
            ? broken.SelectMany(b => b.Blamed).DistinctBy(b => (b.Artifact, b.ArchivePath)).GroupBy(b => b.Artifact)
                .Select(g => new RestoreRequest(g.Key, g.ToList())).ToList()
            : [];

        var findings = new List<Finding>();
        for (var i = 0; i < results.Count; i++)
        {
            var (r, unit) = (results[i], units[i]);
            if (r.SkippedBecause is not null)
            {
                findings.Add(new Finding(Severity.Warning, r.Unit, $"import verification skipped: {r.SkippedBecause}; to verify pruning and the handler, {PythonFinder.InstallHint(unit.Runtime)}"));
                if (HandlerFileMissing(unit) is { } missing) findings.Add(new Finding(Severity.Error, r.Unit, missing, "imports"));
            }
            if (r.HandlerError is { } handlerError) findings.Add(HandlerFinding(unit, handlerError));
            var optional = OptionalImports(unit, optionalImports);
            foreach (var (module, error) in r.PreExisting)
                findings.Add(optional.Contains(module.Split('.')[0])
                    ? new Finding(Severity.Info, r.Unit, $"import {module} fails ({error}); listed under optional-imports, so it may")
                    : new Finding(Severity.Error, r.Unit, $"import {module} fails even before pruning ({error}), so it fails on Lambda too: " +
                        "install a build of it for this runtime, or list it under 'Metadata: LambdaSlim: optional-imports:' if nothing imports it", "imports"));
            foreach (var b in r.Broken)
                findings.Add(new Finding(Severity.Error, r.Unit, b.Describe() +
                    ": rerun with --repair to put the files back, or add them to 'Metadata: LambdaSlim: keep:'", "imports"));
        }
        return new VerifyOutcome(findings, restore);
    }

    /// <summary>Top-level modules the unit's resources (or the template) say may fail to import: optional extras nothing imports.</summary>
    private static HashSet<string> OptionalImports(VerificationUnit unit, IReadOnlyDictionary<string, IReadOnlyList<string>> optionalImports) =>
        unit.Layers.Select(l => l.Name).Append(unit.Function?.Name).OfType<string>().Append("")
            .SelectMany(name => optionalImports.GetValueOrDefault(name) ?? []).ToHashSet(StringComparer.Ordinal);

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
}
