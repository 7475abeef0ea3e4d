using LambdaSlim.Sources;
using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Install;

/// <summary>
/// Prepares one function package: the function's own code, plus those distributions from its
/// requirements.txt that none of its layers already provide.
/// </summary>
public static class FunctionBuilder
{
    public static Task<PreparedArtifact> RunAsync(
        InstallContext context, FunctionSpec function, IReadOnlyDictionary<string, IReadOnlyList<Distribution>> layerDistributions,
        CancellationToken cancellationToken) =>
        RunAsync(context, function, Sources(context, function), null, layerDistributions, cancellationToken);

    /// <summary>The function's own files, chosen before pip runs so that a secret in them fails the build first.</summary>
    public static SourceSelection Sources(InstallContext context, FunctionSpec function) =>
        InstallStage.CollectSources(context, $"function {function.LogicalId}", function.CodeDir, function.Settings);

    /// <summary>What pip installs for the function, or null when it has no requirements file.</summary>
    public static InstallRequest? Install(InstallContext context, FunctionSpec function) =>
        File.Exists(function.RequirementsFile) ? new InstallRequest(function.RequirementsFile, function.Runtime, function.Architecture, context.Pip, $"function {function.LogicalId}") : null;

    /// <param name="installing">The function's install when it was started already (side by side with others), else null.</param>
    public static async Task<PreparedArtifact> RunAsync(
        InstallContext context, FunctionSpec function, SourceSelection sources, Task<string>? installing,
        IReadOnlyDictionary<string, IReadOnlyList<Distribution>> layerDistributions, CancellationToken cancellationToken)
    {
        var request = Install(context, function);
        var hasRequirements = request is not null;
        var site = "";
        if (request is not null)
            site = await (installing ?? InstallStage.RunAsync(context, request, context.Paths.FunctionWork(function.LogicalId), cancellationToken)).ConfigureAwait(false);
        else
            InstallStage.Forget(context, context.Paths.FunctionWork(function.LogicalId));

        var contents = new ArtifactContents();
        foreach (var (rel, full) in sources.Files)
            contents.TryAdd(rel, full);

        var installed = hasRequirements ? DistributionScanner.Scan(site) : [];
        var provided = ProvidedByLayers(function, layerDistributions);
        var leaveOut = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dist in installed)
        {
            if (!provided.TryGetValue(dist.NormalizedName, out var fromLayer)) continue;
            leaveOut.Add(dist.NormalizedName);
            if (dist.Version != fromLayer.Dist.Version)
                context.Observer.Warn(
                    $"function {function.LogicalId} wants {dist.Name} {dist.Version} but layer {fromLayer.Layer} provides {fromLayer.Dist.Version}; " +
                    $"the layer's {fromLayer.Dist.Version} is what runs: align the pins, or drop {dist.Name} from the function's requirements.txt");
        }
        var shadowed = contents.AddInstall(site, installed, leaveOut, PipInstaller.BookkeepingFiles);
        foreach (var path in shadowed)
            context.Observer.Warn($"function {function.LogicalId}: your file {path} shadows the one pip installed; yours is packaged");
        if (leaveOut.Count > 0)
            context.Observer.Info($"function {function.LogicalId}: left out {string.Join(", ", leaveOut.Order(StringComparer.Ordinal))} (provided by its layers)");

        return new PreparedArtifact(function.LogicalId, ArtifactReport.FunctionKind, function.Runtime, function.Architecture, contents,
            installed.Where(d => !leaveOut.Contains(d.NormalizedName)).ToList(),
            context.Paths.FunctionZip(function.LogicalId), BuildPaths.FunctionZipRelative(function.LogicalId))
        {
            LeftOutSecrets = InstallStage.LeftOutReport(context, function.CodeDir, sources),
        };
    }

    private static Dictionary<string, (string Layer, Distribution Dist)> ProvidedByLayers(
        FunctionSpec function, IReadOnlyDictionary<string, IReadOnlyList<Distribution>> layerDistributions)
    {
        // Layers are extracted in order and a later one overwrites an earlier one, so the last provider wins.
        var provided = new Dictionary<string, (string, Distribution)>(StringComparer.Ordinal);
        foreach (var layer in function.Layers.OfType<LayerRef.Local>())
            foreach (var d in layerDistributions.GetValueOrDefault(layer.LogicalId) ?? [])
                provided[d.NormalizedName] = (layer.LogicalId, d);
        return provided;
    }
}
