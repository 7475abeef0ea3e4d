using LambdaSlim.Model;

namespace LambdaSlim.Project;

public sealed record LayerSpec(
    string LogicalId,
    string ContentDir,
    PythonRuntime Runtime,
    Architecture Architecture,
    IReadOnlyList<string> CompatibleRuntimes,
    IReadOnlyList<string> CompatibleArchitectures,
    string? LayerName,
    LambdaSlimSettings Settings)
{
    public string RequirementsFile => Path.Combine(ContentDir, "requirements.txt");

    public BuildKind Build { get; init; } = BuildKind.Pip;
    public MakeBuild? Make { get; init; }

    /// <summary>
    /// Layers this one is always deployed with (<c>Metadata: LambdaSlim: assumes-layers:</c>): distributions they
    /// provide are left out of this layer instead of being shipped, and counted, twice.
    /// </summary>
    public IReadOnlyList<string> AssumesLayers => Settings.GetList("assumes-layers");

    /// <summary>Who else may use the deployed layer (<c>Metadata: LambdaSlim: share-with:</c>): account IDs, organization IDs, or '*' when written.</summary>
    public IReadOnlyList<string> ShareWith => Settings.GetList("share-with");

    /// <summary>A ContentUri that already holds python/ keeps that layout; otherwise its files go under python/.</summary>
    public bool HasOwnPythonFolder => Directory.Exists(Path.Combine(ContentDir, "python"));

    public bool Matches(string name) =>
        string.Equals(name, LogicalId, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, LayerName, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, Path.GetFileName(ContentDir.TrimEnd('/', '\\')), StringComparison.OrdinalIgnoreCase);
}
