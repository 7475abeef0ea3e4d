using System.Text.RegularExpressions;
using LambdaSlim.IO;
using LambdaSlim.Model;
using LambdaSlim.Project;
using LambdaSlim.Prune;
using LambdaSlim.Runtimes;
using LambdaSlim.Verify;

namespace LambdaSlim.Trace;

/// <summary>
/// prune: traced. <see cref="TraceAsync"/> runs each function's handler on each of its events in the Lambda layout of
/// its safely pruned artifacts and leaves out of every traced artifact what no event touched; a layer shared by
/// several functions keeps the union of what they touched. <see cref="ReplayAsync"/> proves it: every event again,
/// against what ships, and the result must be the same byte for byte. A difference names the files that were left
/// out (from the ModuleNotFoundError or FileNotFoundError the handler hit); the pipeline puts them back with --repair.
/// </summary>
public static partial class TraceStage
{
    public const string Check = "trace";

    /// <param name="pruned">Every artifact of the groups after the safe rules, by name.</param>
    /// <param name="traced">The artifacts with prune: traced.</param>
    /// <param name="traceKeep">Each traced artifact's trace-keep globs.</param>
    public static async Task<TraceOutcome> TraceAsync(
        IReadOnlyList<TracedGroup> groups, IReadOnlyDictionary<string, PruneOutcome> pruned, IReadOnlySet<string> traced,
        IReadOnlyDictionary<string, IReadOnlyList<Glob>> traceKeep, string workDir, IBuildObserver observer, CancellationToken cancellationToken)
    {
        var touched = traced.ToDictionary(t => t, _ => new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal), StringComparer.Ordinal);
        var events = traced.ToDictionary(t => t, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var baseline = new Dictionary<(string, string), TraceRun>();
        var findings = new List<Finding>();
        using (var step = observer.Step($"Tracing handlers ({groups.Sum(g => g.Events.Count)} events of {groups.Count} function{(groups.Count == 1 ? "" : "s")})", groups.Sum(g => g.Events.Count)))
        {
            var done = 0;
            foreach (var traceGroup in groups)
            {
                var group = traceGroup.Group;
                var python = Python(group);
                var layout = LambdaLayout.Create(Path.Combine(workDir, "trace", ImportVerifier.SafeName(group.Name)),
                    group.Layers.Select(l => pruned[l].After).ToList(), pruned[group.Function!].After);
                try
                {
                    var index = new FileIndex(group, n => pruned[n].After, layout);
                    var failures = new List<(string Event, string Error)>();
                    foreach (var e in traceGroup.Events)
                    {
                        step.Status($"{group.Name}: {e.Label}");
                        var run = await HandlerTracer.RunAsync(python, group.Runtime.Version, layout, group.HandlerModule!, group.HandlerFunction!, e.File, e.Label,
                            Path.Combine(layout.Root, "record.json"), cancellationToken, group.Variables).ConfigureAwait(false);
                        baseline[(group.Name, e.Label)] = run;
                        if (run.Error is not null) failures.Add((e.Label, run.Error));
                        foreach (var (artifact, path) in run.Files.SelectMany(index.Find).Where(f => traced.Contains(f.Artifact)))
                        {
                            if (!touched[artifact].TryGetValue(path, out var by)) touched[artifact][path] = by = new SortedSet<string>(StringComparer.Ordinal);
                            by.Add(e.Label);
                        }
                        foreach (var member in group.Members.Where(traced.Contains)) events[member].Add(e.Label);
                        step.Report(++done);
                    }
                    // Every event failing means no code path was exercised (a handler that needs a variable or a service
                    // it did not get here, say): what it touched is no evidence of what it needs on Lambda.
                    if (failures.Count > 0 && failures.Count == traceGroup.Events.Count)
                        findings.Add(new Finding(Severity.Error, group.Name, $"every event fails before prune: traced (first, {failures[0].Event}: {failures[0].Error}), so nothing shows what the handler needs: " +
                            "give it events it handles (and the variables or AWS endpoint it needs; see Traced pruning in the README), or prune it as safe", Check));
                    else
                        findings.AddRange(failures.Select(f => new Finding(Severity.Warning, group.Name,
                            $"event {f.Event} fails before prune: traced ({f.Error}): what it touched is kept, but a failing event proves little about the code path it stands for", Check)));
                }
                finally
                {
                    WriteBoundary.DeleteDirectory(layout.Root);
                }
            }
        }

        var result = new Dictionary<string, PruneOutcome>(StringComparer.Ordinal);
        foreach (var name in traced.Where(t => events[t].Count > 0 && pruned.ContainsKey(t)))
        {
            var outcome = pruned[name];
            var prefix = outcome.After.InstallPrefix;
            var candidates = outcome.After.Entries.Select(e => new PruneCandidate(Relative(e.ArchivePath, prefix), e.Owner?.NormalizedName, e.Size, e.Installed)).ToList();
            var plan = TracePlanner.Plan(candidates, touched[name].ToDictionary(t => t.Key, t => (IReadOnlySet<string>)t.Value, StringComparer.Ordinal),
                events[name].ToList(), TraceAllowlist.BuiltIn, traceKeep.GetValueOrDefault(name) ?? []);
            result[name] = Pruner.Trim(outcome, plan.Dropped, plan.Report);
            if (result[name].After.Count == 0)
                findings.Add(new Finding(Severity.Warning, name, $"no event touched anything in it, so prune: traced left it empty: take it off its functions if they never need it, or keep what they need with trace-keep", Check));
            observer.Info($"{name}: prune: traced kept {Bytes.Format(plan.Report.KeptBytes)} of {Bytes.Format(plan.Report.KeptBytes + plan.Report.DroppedBytes)} " +
                $"({plan.Dropped.Count} files no event touched left out; {events[name].Count} event{(events[name].Count == 1 ? "" : "s")})");
        }
        return new TraceOutcome(result, baseline, findings);
    }

    /// <summary>Runs every event again against what ships and compares each result with the run before pruning.</summary>
    /// <param name="artifacts">Every artifact of the groups as it ships, with what pruning removed from it.</param>
    public static async Task<ReplayOutcome> ReplayAsync(
        IReadOnlyList<TracedGroup> groups, IReadOnlyDictionary<string, VerifiedArtifact> artifacts, IReadOnlyDictionary<(string Group, string Event), TraceRun> baseline,
        string workDir, IBuildObserver observer, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var blamed = new List<Blame>();
        var replayed = 0;
        using (var step = observer.Step("Replaying the events against the traced artifacts", groups.Sum(g => g.Events.Count)))
        {
            foreach (var traceGroup in groups)
            {
                var group = traceGroup.Group;
                var python = Python(group);
                var unit = new VerificationUnit(group.Name, group.Runtime, group.Layers.Select(l => artifacts[l]).ToList(), artifacts[group.Function!],
                    group.HandlerModule, group.HandlerFunction);
                var layout = LambdaLayout.Create(Path.Combine(workDir, "replay", ImportVerifier.SafeName(group.Name)),
                    unit.Layers.Select(l => l.After).ToList(), unit.Function!.After);
                try
                {
                    foreach (var e in traceGroup.Events)
                    {
                        step.Status($"{group.Name}: {e.Label}");
                        var run = await HandlerTracer.RunAsync(python, group.Runtime.Version, layout, group.HandlerModule!, group.HandlerFunction!, e.File, e.Label,
                            Path.Combine(layout.Root, "record.json"), cancellationToken, group.Variables).ConfigureAwait(false);
                        step.Report(++replayed);
                        var before = baseline[(group.Name, e.Label)];
                        if (run.Result == before.Result) continue;
                        var missing = Missing(run, unit, layout);
                        blamed.AddRange(missing);
                        var what = run.Error ?? "its output differs";
                        var files = missing.Count == 0
                            ? "no missing file is named in the handler's errors; add what it needs to trace-keep"
                            : $"missing {string.Join(", ", missing.Select(b => $"{b.ArchivePath} in {b.Artifact}"))}: rerun with --repair to put {(missing.Count == 1 ? "it" : "them")} back, or add {(missing.Count == 1 ? "it" : "them")} to trace-keep";
                        findings.Add(new Finding(Severity.Error, group.Name, $"event {e.Label} gives a different result after prune: traced ({what}); {files}", Check));
                    }
                }
                finally
                {
                    WriteBoundary.DeleteDirectory(layout.Root);
                }
            }
            step.Status(findings.Count == 0 ? $"replayed {replayed} events: every result is the same as before pruning" : $"{findings.Count} of {replayed} events give a different result");
        }
        var restore = blamed.DistinctBy(b => (b.Artifact, b.ArchivePath)).GroupBy(b => b.Artifact).Select(g => new RestoreRequest(g.Key, g.ToList())).ToList();
        return new ReplayOutcome(findings, restore, replayed);
    }

    /// <summary>The removed files a replay's errors name: a module that was not found, a file that was not there, a library that did not load.</summary>
    private static List<Blame> Missing(TraceRun run, VerificationUnit unit, LambdaLayout layout)
    {
        var text = $"{run.Error}\n{run.StdErr}\n{run.Output}";
        var blames = new List<Blame>();
        foreach (Match m in MissingModule().Matches(text))
            blames.AddRange(ImportVerifier.BlameFor(m.Groups[1].Value, m.Value, unit, layout) is { Exact: true } b ? b.Blamed : []);
        foreach (Match m in MissingFile().Matches(text))
            blames.AddRange(ImportVerifier.BlameFor("", m.Value, unit, layout) is { Exact: true } b ? b.Blamed : []);
        return blames.DistinctBy(b => (b.Artifact, b.ArchivePath)).ToList();
    }

    [GeneratedRegex(@"No module named '([^']+)'")]
    private static partial Regex MissingModule();

    [GeneratedRegex(@"No such file or directory: '[^']+'|[\w.+-]+\.so[\w.]*: cannot open shared object file")]
    private static partial Regex MissingFile();

    private static string Python(ArtifactGroup group) => PythonFinder.Find(group.Runtime)
        ?? throw LambdaSlimException.Tool($"{group.Name}: prune: traced runs the handler, and there is no CPython {group.Runtime.Version} here",
            $"{PythonFinder.InstallHint(group.Runtime)}; or use prune: safe");

    private static string Relative(string archivePath, string prefix) =>
        prefix.Length > 0 && archivePath.StartsWith(prefix, StringComparison.Ordinal) ? archivePath[prefix.Length..] : archivePath;

    /// <summary>
    /// Finds which artifact's file a path the handler touched is: a path in the layout (a later layer hides an
    /// earlier one, as on Lambda), or the real file behind one (what /proc/self/maps and realpath show).
    /// </summary>
    private sealed class FileIndex
    {
        private readonly Dictionary<string, (string Artifact, string Path)> _byLayoutPath = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(string Artifact, string Path)>> _bySource = new(StringComparer.Ordinal);

        public FileIndex(ArtifactGroup group, Func<string, ArtifactContents> contentsOf, LambdaLayout layout)
        {
            foreach (var member in group.Members)
            {
                var contents = contentsOf(member);
                var root = member == group.Function ? layout.Task : layout.Opt;
                foreach (var e in contents.Entries)
                {
                    var at = (member, Relative(e.ArchivePath, contents.InstallPrefix));
                    _byLayoutPath[Path.GetFullPath(Path.Combine(root, e.ArchivePath))] = at;
                    foreach (var source in Sources(e.Source))
                    {
                        if (!_bySource.TryGetValue(source, out var list)) _bySource[source] = list = [];
                        list.Add(at);
                    }
                }
            }
        }

        public IEnumerable<(string Artifact, string Path)> Find(string file) =>
            _byLayoutPath.TryGetValue(file, out var at) ? [at] : _bySource.GetValueOrDefault(file) ?? [];

        private static IEnumerable<string> Sources(string source)
        {
            var full = Path.GetFullPath(source);
            yield return full;
            if (new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target && target.FullName != full) yield return target.FullName;
        }
    }
}
