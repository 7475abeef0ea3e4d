namespace LambdaSlim.Pipeline;

/// <summary>What `deploy --layers-first` does with one deploy: two change sets, or one and why.</summary>
/// <param name="ChangedLayers">Each layer whose zip changed (or that is new), by logical ID → its content-hashed logical ID.</param>
/// <param name="ChangedFunctions">The functions that changed in their own right (code, properties, Globals), not only through a layer.</param>
/// <param name="Stage1">The stack's current template plus the changed layers in plain form; <c>null</c> when one change set does.</param>
/// <param name="Stage2">The new template with those layers in the same plain form and every reference to them rewritten; <c>null</c> likewise.</param>
/// <param name="SingleBecause">Why one ordinary change set does, when it does.</param>
public sealed record LayersFirstPlan(
    IReadOnlyDictionary<string, string> ChangedLayers, IReadOnlyList<string> ChangedFunctions, string? Stage1, string? Stage2, string? SingleBecause)
{
    public bool Staged => Stage1 is not null;
}
