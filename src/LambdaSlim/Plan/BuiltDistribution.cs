namespace LambdaSlim.Plan;

/// <summary>A distribution in a committed zip: its size there (after pruning and bytecode) and the names it requires.</summary>
public sealed record BuiltDistribution(string Name, string Version, long Bytes, IReadOnlyList<string> Requires);
