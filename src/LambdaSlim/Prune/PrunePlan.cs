namespace LambdaSlim.Prune;

/// <summary>An installed (or, for exclude globs, any) file that pruning may remove. Path is relative to the install root.</summary>
public sealed record PruneCandidate(string Path, string? Owner, long Size, bool Installed);

public sealed record PruneDecision(string Path, string Rule, string? Owner, long Size);

public sealed record PrunePlan(IReadOnlyList<PruneDecision> Removed, IReadOnlyList<string> Warnings);
