using LambdaSlim.Model;
using LambdaSlim.Project;
using LambdaSlim.Prune;

namespace LambdaSlim.Trace;

/// <summary>What prune: traced leaves out of one artifact, and the report of what it kept and why.</summary>
public sealed record TracePlan(IReadOnlyList<PruneDecision> Dropped, TraceReport Report);

/// <summary>
/// Decides what prune: traced keeps. Pure: the files left after the safe rules, what the events touched, the allowlist
/// and the trace-keep globs in; decisions out. Kept: every file an event touched (a module imported, a file opened, a
/// library loaded); the package folders' __init__.py above a kept file; the .dist-info of every kept distribution; what
/// the allowlist names in a kept distribution; what trace-keep matches; and the user's own files, which only their
/// exclude globs remove. Modules a kept module imports at top level were imported when it was, so the trace has them.
/// </summary>
public static class TracePlanner
{
    /// <summary>How the report names files no distribution owns: the user's own code, or what an install left outside every distribution.</summary>
    public const string OwnFiles = TraceReport.NoDistribution;

    /// <param name="files">The artifact's files after the safe rules, relative to the install root.</param>
    /// <param name="touched">Each touched file (relative to the install root), with the events that touched it.</param>
    public static TracePlan Plan(
        IReadOnlyList<PruneCandidate> files, IReadOnlyDictionary<string, IReadOnlySet<string>> touched, IReadOnlyList<string> events,
        IReadOnlyList<AllowlistEntry> allowlist, IReadOnlyList<Glob> traceKeep)
    {
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var why = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            if (touched.TryGetValue(f.Path, out var by)) why[f.Path] = string.Join(", ", by.Order(StringComparer.Ordinal));
            else if (!f.Installed) why[f.Path] = "your own file";
            else if (Matches(traceKeep, f.Path)) why[f.Path] = "trace-keep";
        }
        foreach (var path in why.Keys.ToList())
            foreach (var parent in Parents(path))
                if (byPath.ContainsKey(parent + "/__init__.py")) why.TryAdd(parent + "/__init__.py", "the package of a kept file");
        var keptOwners = files.Where(f => why.ContainsKey(f.Path) && f.Owner is not null).Select(f => f.Owner!).ToHashSet(StringComparer.Ordinal);
        foreach (var f in files.Where(f => !why.ContainsKey(f.Path) && f.Owner is not null && keptOwners.Contains(f.Owner)))
        {
            if (IsMetadata(f.Path)) why[f.Path] = "metadata of a kept distribution";
            else if (allowlist.FirstOrDefault(a => a.Glob.IsMatch(f.Path)) is { } entry) why[f.Path] = "allowlist: " + entry.Reason;
        }

        var dropped = files.Where(f => !why.ContainsKey(f.Path)).Select(f => new PruneDecision(f.Path, PruneTracedRule, f.Owner, f.Size)).ToList();
        var distributions = files.GroupBy(f => f.Owner ?? OwnFiles).Select(g =>
        {
            var kept = g.Where(f => why.ContainsKey(f.Path)).ToList();
            var modules = g.Where(f => IsModule(f.Path)).ToList();
            var eventsOf = g.SelectMany(f => touched.GetValueOrDefault(f.Path) ?? new HashSet<string>()).Distinct().Order(StringComparer.Ordinal).ToList();
            return new TracedDistribution(g.Key, kept.Count, kept.Sum(f => f.Size), g.Count() - kept.Count, g.Sum(f => f.Size) - kept.Sum(f => f.Size),
                modules.Count(m => touched.ContainsKey(m.Path)), modules.Count, eventsOf);
        }).OrderByDescending(d => d.KeptBytes + d.DroppedBytes).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        var report = new TraceReport(events, distributions.Sum(d => d.KeptBytes), distributions.Sum(d => d.DroppedBytes), distributions,
            why.Where(w => byPath[w.Key].Installed).OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => new TracedFile(w.Key, w.Value)).ToList());
        return new TracePlan(dropped, report);
    }

    private const string PruneTracedRule = PrunePlanner.TracedRule;

    /// <summary>A Python module's file: source, or an extension module.</summary>
    public static bool IsModule(string path)
    {
        if (IsMetadata(path)) return false;
        var name = path[(path.LastIndexOf('/') + 1)..];
        return name.EndsWith(".py", StringComparison.Ordinal)
            || (name.EndsWith(".so", StringComparison.Ordinal) && (name.Contains(".cpython-", StringComparison.Ordinal) || name.Contains(".abi3.", StringComparison.Ordinal)));
    }

    private static bool IsMetadata(string path) => path.Split('/').Any(s => s.EndsWith(".dist-info", StringComparison.Ordinal) || s.EndsWith(".egg-info", StringComparison.Ordinal));

    private static IEnumerable<string> Parents(string path)
    {
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            yield return path[..slash];
    }

    /// <summary>An ordered glob list where the last match wins and '!' negates, as keep globs are read.</summary>
    private static bool Matches(IReadOnlyList<Glob> globs, string path)
    {
        var matched = false;
        foreach (var g in globs.Where(g => g.IsMatch(path))) matched = !g.Negated;
        return matched;
    }
}
