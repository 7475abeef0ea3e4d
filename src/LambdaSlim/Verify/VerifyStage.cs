using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Verify;

/// <summary>
/// Runs import verification over the build's groups (each function with its layers, and each layer no function uses
/// with the layers it assumes). Groups on the same layers in the same order, for the same runtime and architecture,
/// share one layer set: its layers' modules are imported once for all of them, and each function then imports only its
/// own distributions' modules and its handler, on top of those layers. Units run in parallel on all cores. When
/// pruning broke imports and removed files explain every break, it says which files to put back; the pipeline does that
/// (with --repair) and verifies again.
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
            g.Function is null ? null : artifacts[g.Function], g.HandlerModule, g.HandlerFunction, g.Variables)).ToList();
        var pythons = units.Select(u => u.Runtime).Distinct().ToDictionary(r => r, PythonFinder.Find);
        var sets = groups.All.Select((g, i) => (Key: string.Join('\n', [g.Runtime.Name, g.Architecture.ToLambdaName(), .. g.Layers]), Index: i))
            .Where(x => pythons[units[x.Index].Runtime] is not null)
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .Select((g, n) => new LayerSet(units[g.First().Index], g.Select(x => x.Index).ToList(), Path.Combine(workDir, $"layer-set-{n}")))
            .ToList();
        var setOf = sets.SelectMany(s => s.Members.Select(m => (m, s))).ToDictionary(x => x.m, x => x.s);

        // The work: each layer set's modules once, then each function's own modules and handler on top of its layer set.
        var jobs = new List<(string Name, Func<CancellationToken, Task> Run)>();
        foreach (var set in sets.Where(s => s.Modules.Count > 0))
            jobs.Add(($"the layers of {set.Unit.Name}", async ct => set.Result = await ImportVerifier.VerifyAsync(
                set.Unit, set.Modules, set.Layout, set.Layout.Root, pythons[set.Unit.Runtime]!, ct).ConfigureAwait(false)));
        var own = new VerificationResult?[units.Count];
        foreach (var (unit, i) in units.Select((u, i) => (u, i)).Where(x => x.u.Function is not null && setOf.ContainsKey(x.i)))
        {
            var modules = ImportVerifier.ModulesOf([unit.Function!]);
            if (modules.Count == 0 && unit.HandlerModule is null) continue;
            jobs.Add((unit.Name, async ct => own[i] = await ImportVerifier.VerifyAsync(
                unit, modules, setOf[i].Layout, Path.Combine(workDir, ImportVerifier.SafeName(unit.Name)), pythons[unit.Runtime]!, ct).ConfigureAwait(false)));
        }

        using (var step = observer.Step($"Verifying imports ({Plural(units.Count, "unit")} on {Plural(sets.Count, "layer set")}, {Environment.ProcessorCount} at a time)", jobs.Count))
        {
            var done = 0;
            var progress = new Lock();
            try
            {
                await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                    async (job, ct) =>
                    {
                        lock (progress) step.Status($"importing modules for {job.Name}");
                        await job.Run(ct).ConfigureAwait(false);
                        lock (progress) step.Report(++done);
                    }).ConfigureAwait(false);
            }
            finally
            {
                foreach (var set in sets) set.Layout.Delete();
            }
            var probes = sets.Select(s => s.Result).Concat(own).OfType<VerificationResult>().ToList();
            step.Status($"checked {probes.Sum(r => r.ModulesChecked)} imports in {Plural(probes.Sum(r => r.Interpreters), "interpreter")} " +
                $"({Plural(sets.Count(s => s.Result is not null), "layer set")}, {Plural(own.Count(r => r is not null), "function")}), {probes.Sum(r => r.Broken.Count)} broken by pruning");
        }

        var allBroken = sets.Select(s => s.Result).Concat(own).OfType<VerificationResult>().SelectMany(r => r.Broken).ToList();
        var restore = allBroken.Count > 0 && allBroken.All(b => b.Blamed.Count > 0)
            ? allBroken.SelectMany(b => b.Blamed).DistinctBy(b => (b.Artifact, b.ArchivePath)).GroupBy(b => b.Artifact)
                .Select(g => new RestoreRequest(g.Key, g.ToList())).ToList()
            : [];
        return new VerifyOutcome(Findings(units, setOf, own, optionalImports), restore);
    }

    /// <summary>
    /// What each group's verification found, in group order, as if each group had been verified on its own. A finding
    /// about a layer set that several groups share is said once, where the first of them is, naming the layer.
    /// </summary>
    private static List<Finding> Findings(
        List<VerificationUnit> units, Dictionary<int, LayerSet> setOf, VerificationResult?[] own,
        IReadOnlyDictionary<string, IReadOnlyList<string>> optionalImports)
    {
        var perUnit = new List<List<(Finding Finding, string? SetModule)>>();
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            var found = new List<(Finding, string?)>();
            perUnit.Add(found);
            if (!setOf.TryGetValue(i, out var set))
            {
                var skipped = ImportVerifier.Skipped(unit);
                found.Add((new Finding(Severity.Warning, unit.Name, $"import verification skipped: {skipped.SkippedBecause}; to verify pruning and the handler, {PythonFinder.InstallHint(unit.Runtime)}"), null));
                if (HandlerFileMissing(unit) is { } missing) found.Add((new Finding(Severity.Error, unit.Name, missing, "imports"), null));
                continue;
            }
            var mine = own[i];
            if (mine?.HandlerError is { } handlerError) found.Add((HandlerFinding(unit, handlerError), null));
            var shared = set.Result;
            var optional = OptionalImports(unit, optionalImports);
            var preExisting = (shared?.PreExisting ?? []).Select(p => (p.Module, p.Error, FromSet: true))
                .Concat((mine?.PreExisting ?? []).Select(p => (p.Module, p.Error, FromSet: false)))
                .Where(p => !(p.FromSet && p.Module == unit.HandlerModule && unit.HandlerFunction is not null))
                .OrderBy(p => p.Module, StringComparer.Ordinal);
            foreach (var (module, error, fromSet) in preExisting)
                found.Add((optional.Contains(module.Split('.')[0])
                    ? new Finding(Severity.Info, unit.Name, $"import {module} fails ({error}); listed under optional-imports, so it may")
                    : new Finding(Severity.Error, unit.Name, $"import {module} fails even before pruning ({error}), so it fails on Lambda too: " +
                        "install a build of it for this runtime, or list it under 'Metadata: LambdaSlim: optional-imports:' if nothing imports it", "imports"),
                    fromSet ? module : null));
            var broken = (shared?.Broken ?? []).Select(b => (Failure: b, FromSet: true)).Concat((mine?.Broken ?? []).Select(b => (Failure: b, FromSet: false)))
                .OrderBy(b => b.Failure.Module == unit.HandlerModule ? 1 : 0).ThenBy(b => b.Failure.Module, StringComparer.Ordinal);
            foreach (var (b, fromSet) in broken)
                found.Add((new Finding(Severity.Error, unit.Name, b.Describe() +
                    ": rerun with --repair to put the files back, or add them to 'Metadata: LambdaSlim: keep:'", "imports"), fromSet ? b.Module : null));
        }

        // A layer set's finding, the same for several groups, is said once: by the layer whose module it is, with who shares it.
        var findings = new List<Finding>();
        var said = new HashSet<(LayerSet, Severity, string)>();
        for (var i = 0; i < units.Count; i++)
            foreach (var (finding, setModule) in perUnit[i])
            {
                if (setModule is null || setOf[i].Members.Count == 1) { findings.Add(finding); continue; }
                var set = setOf[i];
                if (!said.Add((set, finding.Severity, finding.Message))) continue;
                var sharing = set.Members.Where(m => perUnit[m].Any(f => f.SetModule is not null && f.Finding.Severity == finding.Severity && f.Finding.Message == finding.Message))
                    .Select(m => units[m].Name).ToList();
                var names = string.Join(", ", sharing.Take(3)) + (sharing.Count > 3 ? $" and {sharing.Count - 3} more" : "");
                findings.Add(finding with
                {
                    Subject = OwnerOf(setModule, set.Unit.Layers),
                    Message = $"{finding.Message} ({(sharing.Count == set.Members.Count ? $"the same for all {sharing.Count}" : $"for {sharing.Count} of the {set.Members.Count}")} functions on these layers: {names})",
                });
            }
        return findings;
    }

    /// <summary>The layer a module comes from: the last in the stack with a distribution that has it (a later layer overwrites an earlier one).</summary>
    private static string OwnerOf(string module, IReadOnlyList<VerifiedArtifact> layers)
    {
        var top = module.Split('.')[0];
        return (layers.LastOrDefault(l => l.Before.Entries.Select(e => e.Owner).OfType<Distribution>().Distinct()
            .Any(d => d.TopLevelModules.Contains(top, StringComparer.Ordinal))) ?? layers[^1]).Name;
    }

    private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

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
