namespace LambdaSlim.Model;

public sealed record RuleSaving(string Rule, int Files, long Bytes);

public sealed record PackageSaving(string Package, int Files, long Bytes);

public sealed record StripReport(string Tool, int Files, long BytesSaved);

/// <summary>What the prune stage removed from one artifact: by rule, by package, and by stripping debug symbols; with prune: traced, what the trace kept.</summary>
public sealed record PruneReport(string Level, int RemovedFiles, long RemovedBytes, IReadOnlyList<RuleSaving> ByRule, IReadOnlyList<PackageSaving> ByPackage, StripReport Strip,
    TraceReport? Trace = null)
{
    /// <summary>Unzipped bytes before pruning: what the install alone would have shipped.</summary>
    public long SavedBytes => RemovedBytes + Strip.BytesSaved;
}
