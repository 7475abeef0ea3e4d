namespace LambdaSlim.Plan;

/// <summary>A layer of the plan: its items (largest first), their bytes, the estimated zip and the functions that load it.</summary>
public sealed record PlannedLayer(string Name, IReadOnlyList<PlanItem> Items, long Bytes, long EstimatedZipBytes, bool NeedsS3Upload, IReadOnlyList<string> UsedBy)
{
    public string? OwnFilesOf => Items.FirstOrDefault(i => i.OwnFilesOf is not null)?.OwnFilesOf;
}
