namespace LambdaSlim.Plan;

/// <summary>
/// The per-function limits a plan must meet (Lambda's: 5 layers, 262,144,000 bytes unzipped with layers; 50 MB for a
/// zip uploaded directly, else through S3), and the zip ratio used to estimate a planned layer's zip.
/// </summary>
public sealed record PlanLimits(int MaxLayers, long MaxUnzippedBytes, long MaxDirectZipBytes, double ZipRatio)
{
    public static PlanLimits Lambda(double zipRatio = 0.4) => new(5, 262_144_000, 52_428_800, zipRatio);

    /// <summary>At most this many groups are planned exactly (branch and bound); more are planned greedily.</summary>
    public int ExactGroupLimit { get; init; } = 12;

    /// <summary>How many branch-and-bound nodes the exact search may visit before it keeps the best plan found so far.</summary>
    public long ExactNodeBudget { get; init; } = 5_000_000;
}
