using LambdaSlim.Sources;
using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Install;

/// <summary>
/// Artifacts whose files something other than pip made: what `make build-&lt;LogicalId&gt;` put in ARTIFACTS_DIR, or a
/// layer without a BuildMethod, which SAM ships as it is. The tree is the zip's layout; its vendored distributions
/// (found by their .dist-info) are marked as installed, so the report names them and pruning may treat them as
/// packages when the resource asks for pruning.
/// </summary>
public static class TreeArtifact
{
    /// <param name="root">The tree: make's ARTIFACTS_DIR, or the layer's folder.</param>
    public static PreparedArtifact Run(InstallContext context, LayerSpec layer, string root)
    {
        var owner = $"layer {layer.LogicalId}";
        if (layer.Build == BuildKind.AsIs && File.Exists(layer.RequirementsFile))
            context.Observer.Info($"{owner}: has no Metadata: BuildMethod, so it ships as it is, like under sam build; its requirements.txt is not installed: set 'BuildMethod: {layer.Runtime}' to install it");
        var (contents, distributions, sources) = Collect(context, owner, root, LayerBuilder.PythonPrefix, layer.Settings, context.Project.ProjectDir);
        return new PreparedArtifact(layer.LogicalId, ArtifactReport.LayerKind, layer.Runtime, layer.Architecture, contents, distributions,
            context.Paths.LayerZip(layer.LogicalId), BuildPaths.LayerZipRelative(layer.LogicalId))
        {
            LeftOutSecrets = InstallStage.LeftOutReport(context, root, sources),
        };
    }

    /// <param name="root">The tree: make's ARTIFACTS_DIR, or the function's folder.</param>
    public static PreparedArtifact Run(InstallContext context, FunctionSpec function, string root)
    {
        var owner = $"function {function.LogicalId}";
        var (contents, distributions, sources) = Collect(context, owner, root, "", function.Settings, linkBoundary: null);
        return new PreparedArtifact(function.LogicalId, ArtifactReport.FunctionKind, function.Runtime, function.Architecture, contents, distributions,
            context.Paths.FunctionZip(function.LogicalId), BuildPaths.FunctionZipRelative(function.LogicalId))
        {
            LeftOutSecrets = InstallStage.LeftOutReport(context, root, sources),
        };
    }

    /// <summary>The distributions a layer of this kind provides, from its tree as it stands (no build).</summary>
    public static IReadOnlyList<Distribution> ProvidedBy(InstallContext context, LayerSpec layer)
    {
        var root = layer.Build == BuildKind.Makefile ? context.Paths.MakeArtifacts(layer.LogicalId) : layer.ContentDir;
        return DistributionScanner.Scan(Path.Combine(root, "python"));
    }

    /// <summary>
    /// Pruning (and, for a folder shipped as it is, bytecode) only when the resource or the template asks: SAM ships
    /// these trees as they are, and a user who chose make or a vendored layer chose its contents.
    /// </summary>
    public static LambdaSlimSettings Settings(BuildKind build, LambdaSlimSettings settings, LambdaSlimSettings defaults) => build switch
    {
        BuildKind.Makefile => settings.WithFallbacks(defaults, ("prune", "none")),
        BuildKind.AsIs => settings.WithFallbacks(defaults, ("prune", "none"), ("bytecode", "none")),
        _ => settings,
    };

    private static (ArtifactContents Contents, IReadOnlyList<Distribution> Distributions, SourceSelection Sources) Collect(
        InstallContext context, string owner, string root, string sitePrefix, LambdaSlimSettings settings, string? linkBoundary)
    {
        var sources = InstallStage.CollectSources(context, owner, root, settings, linkBoundary);
        var site = Path.Combine(root, sitePrefix);
        var distributions = DistributionScanner.Scan(site);
        var ownerOf = new Dictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var d in distributions)
            foreach (var f in d.Files) ownerOf.TryAdd(sitePrefix + f, d);
        var contents = new ArtifactContents(sitePrefix);
        foreach (var (rel, full) in sources.Files)
        {
            var dist = ownerOf.GetValueOrDefault(rel);
            contents.TryAdd(rel, full, dist, installed: dist is not null);
        }
        return (contents, distributions, sources);
    }
}
