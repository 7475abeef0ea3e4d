using LambdaSlim.Model;

namespace LambdaSlim.Plan;

/// <summary>
/// One thing a layer or a function package can hold: a distribution at one version, or the own files of an existing
/// layer (its ContentUri's modules, which cannot move without moving files, so they stay in a layer of that name).
/// </summary>
public sealed record PlanItem(string Name, string Version, long Bytes, string? OwnFilesOf = null)
{
    /// <summary>What one item is: a distribution name at a version, or one layer's own files.</summary>
    public string Key => OwnFilesOf is null ? $"{Distribution.Normalize(Name)}=={Version}" : $"{OwnFilesOf}/own-files";

    /// <summary>Two items with the same conflict key cannot share a layer: two versions of one distribution, or two layers' own files.</summary>
    public string ConflictKey => OwnFilesOf is null ? Distribution.Normalize(Name) : "(own files of a layer)";

    public string Display => OwnFilesOf is null ? $"{Name} {Version}" : $"{OwnFilesOf}'s own files";

    public static PlanItem Dist(string name, string version, long bytes) => new(name, version, bytes);
}
