using LambdaSlim.Model;
using LambdaSlim.Prune;
using LambdaSlim.Verify;

namespace LambdaSlim.Trace;

/// <param name="Pruned">Each traced artifact's pruning with what no event touched left out.</param>
/// <param name="Baseline">Each group's run of each event before the trace pruned anything: what a replay must reproduce.</param>
/// <param name="Findings">Events that failed before pruning (warnings): they prove less.</param>
public sealed record TraceOutcome(
    IReadOnlyDictionary<string, PruneOutcome> Pruned, IReadOnlyDictionary<(string Group, string Event), TraceRun> Baseline, IReadOnlyList<Finding> Findings);

/// <param name="Findings">Every event whose result differs after pruning (errors), naming the missing files.</param>
/// <param name="Restore">The removed files the differences name, per artifact, for --repair to put back.</param>
/// <param name="Replayed">How many events were replayed.</param>
public sealed record ReplayOutcome(IReadOnlyList<Finding> Findings, IReadOnlyList<RestoreRequest> Restore, int Replayed);
