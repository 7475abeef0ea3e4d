namespace LambdaSlim.Plan;

/// <summary>
/// A function in the plan: the planned layers it loads (in order), the items its own package holds, and what it loads
/// in all (own code, package, planned and fixed layers) against what it needs.
/// </summary>
public sealed record PlannedFunction(
    string LogicalId,
    IReadOnlyList<string> Layers,
    IReadOnlyList<FixedLayer> FixedLayers,
    IReadOnlyList<PlanItem> InPackage,
    long OwnBytes,
    long LoadedBytes,
    long NeededBytes,
    long EstimatedPackageZipBytes,
    bool PackageNeedsS3Upload)
{
    /// <summary>Bytes loaded that the function never imports (parts of shared layers it needs for something else).</summary>
    public long UnneededBytes => LoadedBytes - NeededBytes;

    public int LayerCount => Layers.Count + FixedLayers.Count;
}
