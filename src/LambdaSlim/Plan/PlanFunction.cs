namespace LambdaSlim.Plan;

/// <summary>
/// A function as the planner sees it: its own code's bytes, the items it needs (keys of <see cref="PlanItem.Key"/>,
/// already closed under Requires-Dist) and the layers given by ARN it keeps.
/// </summary>
public sealed record PlanFunction(string LogicalId, long OwnBytes, IReadOnlyList<string> Needs, IReadOnlyList<FixedLayer>? FixedLayers = null)
{
    public IReadOnlyList<FixedLayer> Fixed => FixedLayers ?? [];
}
