using LambdaSlim.Model;

namespace LambdaSlim.Prune;

/// <summary>
/// The prune stage: plans removals with the rule packs, applies them to an artifact's contents (never to the
/// cached install), and strips debug symbols from shared objects into copies under the work folder.
/// </summary>
public static class Pruner
{
    public static PruneOutcome Apply(ArtifactContents before, PruneSettings settings, IReadOnlyList<PruneRule> rules, string owner, string stripDir, IBuildObserver observer)
    {
        var prefix = before.InstallPrefix;
        var candidates = before.Entries.Select(e => new PruneCandidate(
            e.ArchivePath.StartsWith(prefix, StringComparison.Ordinal) ? e.ArchivePath[prefix.Length..] : e.ArchivePath,
            e.Owner?.NormalizedName, e.Size, e.Installed)).ToList();
        var plan = PrunePlanner.Plan(candidates, rules, settings, owner);
        foreach (var w in plan.Warnings) observer.Warn(w);

        var after = before.Clone();
        var prefixed = plan.Removed.ToDictionary(d => before.Contains(prefix + d.Path) ? prefix + d.Path : d.Path);
        foreach (var path in prefixed.Keys) after.Remove(path);

        var strip = settings.Strip ? StripSharedObjects(after, stripDir) : new StripReport("", 0, 0);
        return new PruneOutcome(before, after, plan, Summarize(settings.Level, plan, strip));
    }

    /// <summary>Puts removed files back (what --repair does for files an import needed), and recounts the savings.</summary>
    public static PruneOutcome Restore(PruneOutcome outcome, IReadOnlySet<string> archivePaths)
    {
        var after = outcome.After.Clone();
        foreach (var e in outcome.Before.Entries.Where(e => archivePaths.Contains(e.ArchivePath)))
            after.TryAdd(e.ArchivePath, e.Source, e.Owner, e.Installed);
        var prefix = outcome.Before.InstallPrefix;
        var kept = outcome.Plan.Removed.Where(d => !archivePaths.Contains(prefix + d.Path) && !archivePaths.Contains(d.Path)).ToList();
        var plan = outcome.Plan with { Removed = kept };
        var level = Enum.Parse<PruneLevel>(outcome.Report.Level, ignoreCase: true);
        // What tracing had left out and a replay needed ships after all: the trace report counts it as kept.
        var restoredFromTrace = outcome.Plan.Removed.Except(kept).Where(d => d.Rule == PrunePlanner.TracedRule).Select(d => (d.Path, d.Owner, d.Size)).ToList();
        return new PruneOutcome(outcome.Before, after, plan, Summarize(level, plan, outcome.Report.Strip) with { Trace = outcome.Report.Trace?.WithRestored(restoredFromTrace) });
    }

    /// <summary>Removes what prune: traced left out (paths relative to the install root, as the rules' are) on top of what the rules removed.</summary>
    public static PruneOutcome Trim(PruneOutcome outcome, IReadOnlyList<PruneDecision> untouched, TraceReport trace)
    {
        var after = outcome.After.Clone();
        var prefix = outcome.Before.InstallPrefix;
        foreach (var d in untouched) after.Remove(after.Contains(prefix + d.Path) ? prefix + d.Path : d.Path);
        var plan = outcome.Plan with { Removed = [.. outcome.Plan.Removed, .. untouched] };
        return new PruneOutcome(outcome.Before, after, plan, Summarize(PruneLevel.Traced, plan, outcome.Report.Strip) with { Trace = trace });
    }

    /// <summary>No pruning at all: what `prune: none` and artifacts outside the prune stage get.</summary>
    public static PruneOutcome None(ArtifactContents contents) =>
        new(contents, contents, new PrunePlan([], []), Summarize(PruneLevel.None, new PrunePlan([], []), new StripReport("", 0, 0)));

    private static StripReport StripSharedObjects(ArtifactContents contents, string stripDir)
    {
        var tools = new SortedSet<string>(StringComparer.Ordinal);
        int files = 0;
        long saved = 0;
        var sharedObjects = contents.Entries.Where(e => e.Installed && IsSharedObject(e.ArchivePath)).ToList();
        var results = new (ContentEntry Entry, StripResult Result, string Output)[sharedObjects.Count];
        Parallel.For(0, sharedObjects.Count, i =>
        {
            var entry = sharedObjects[i];
            // Keyed by source path and size, so a cached copy is reused only for the same input.
            var output = Path.Combine(stripDir, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes($"{entry.Source}\n{entry.Size}\n{File.GetLastWriteTimeUtc(entry.Source):O}")))[..24] + ".so");
            if (File.Exists(output)) { results[i] = (entry, new StripResult(StripOutcome.Stripped, entry.Size, new FileInfo(output).Length, "cached", null), output); return; }
            Directory.CreateDirectory(stripDir);
            results[i] = (entry, ElfStripper.Strip(entry.Source, output), output);
        });
        foreach (var (entry, result, output) in results)
        {
            if (result.Outcome != StripOutcome.Stripped) continue;
            contents.Replace(entry.ArchivePath, output);
            files++;
            saved += result.BytesBefore - result.BytesAfter;
            tools.Add(result.Tool);
        }
        return new StripReport(string.Join(", ", tools), files, saved);
    }

    private static bool IsSharedObject(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
    }

    private static PruneReport Summarize(PruneLevel level, PrunePlan plan, StripReport strip) => new(
        level.ToString().ToLowerInvariant(),
        plan.Removed.Count,
        plan.Removed.Sum(d => d.Size),
        plan.Removed.GroupBy(d => d.Rule).Select(g => new RuleSaving(g.Key, g.Count(), g.Sum(d => d.Size)))
            .OrderByDescending(r => r.Bytes).ToList(),
        plan.Removed.GroupBy(d => d.Owner ?? "(your files)").Select(g => new PackageSaving(g.Key, g.Count(), g.Sum(d => d.Size)))
            .OrderByDescending(r => r.Bytes).ToList(),
        strip);
}
