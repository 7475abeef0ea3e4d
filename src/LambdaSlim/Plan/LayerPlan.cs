namespace LambdaSlim.Plan;

/// <summary>
/// The planner's answer. <see cref="ExtraLoadedBytes"/> is objective 3 (bytes loaded that no function needs, summed
/// over functions); <see cref="ExtraLoadedLowerBound"/> is a bound no plan can beat, so a greedy plan is at most
/// <c>ExtraLoadedBytes - ExtraLoadedLowerBound</c> from the optimum. Layers in <see cref="Layers"/> are named
/// "Layer1".. until <see cref="LayerNaming"/> names them.
/// </summary>
public sealed record LayerPlan(
    IReadOnlyList<PlannedLayer> Layers,
    IReadOnlyList<PlannedFunction> Functions,
    IReadOnlyList<PlanItem> Unused,
    IReadOnlyList<PlanFailure> Failures,
    PlanMethod Method,
    int Groups,
    long ExtraLoadedBytes,
    long ExtraLoadedLowerBound,
    long StoredBytes)
{
    public bool Fits => Failures.Count == 0;

    /// <summary>How far the plan can be from the best one, in extra loaded bytes: 0 when the search was exhaustive.</summary>
    public long Gap => ExtraLoadedBytes - ExtraLoadedLowerBound;
}
