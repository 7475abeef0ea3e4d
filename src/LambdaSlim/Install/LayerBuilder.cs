using LambdaSlim.Sources;
using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Install;

/// <summary>
/// Prepares one layer: pip installs its requirements for the Lambda platform, and its own files
/// (shared modules next to requirements.txt) go with them under python/, which Lambda puts at /opt/python.
/// </summary>
public static class LayerBuilder
{
    public const string PythonPrefix = "python/";

    public static Task<PreparedArtifact> RunAsync(InstallContext context, LayerSpec layer,
        IReadOnlyDictionary<string, IReadOnlyList<Distribution>> builtLayers, CancellationToken cancellationToken) =>
        RunAsync(context, layer, Sources(context, layer), null, builtLayers, cancellationToken);

    /// <summary>
    /// The user's own files of the layer. Chosen before pip runs, so that a secret in them fails the build first. A
    /// layer's links may reach shared code elsewhere in the project.
    /// </summary>
    public static SourceSelection Sources(InstallContext context, LayerSpec layer) =>
        InstallStage.CollectSources(context, $"layer {layer.LogicalId}", layer.ContentDir, layer.Settings, linkBoundary: context.Project.ProjectDir);

    /// <summary>What pip installs for the layer, or null when it has no requirements file.</summary>
    public static InstallRequest? Install(InstallContext context, LayerSpec layer) =>
        FindRequirements(layer) is { } requirements ? new InstallRequest(requirements, layer.Runtime, layer.Architecture, context.Pip, $"layer {layer.LogicalId}") : null;

    /// <param name="installing">The layer's install when it was started already (side by side with others), else null.</param>
    public static async Task<PreparedArtifact> RunAsync(InstallContext context, LayerSpec layer, SourceSelection sources, Task<string>? installing,
        IReadOnlyDictionary<string, IReadOnlyList<Distribution>> builtLayers, CancellationToken cancellationToken)
    {
        var requirements = FindRequirements(layer);
        var request = Install(context, layer);
        var site = "";
        if (request is not null)
            site = await (installing ?? InstallStage.RunAsync(context, request, context.Paths.LayerWork(layer.LogicalId), cancellationToken)).ConfigureAwait(false);
        else
            InstallStage.Forget(context, context.Paths.LayerWork(layer.LogicalId)); // requirements.txt was removed: a stale install must not ship

        var contents = new ArtifactContents(PythonPrefix);
        var requirementsRelative = requirements is null ? null : Path.GetRelativePath(layer.ContentDir, requirements).Replace('\\', '/');
        foreach (var (rel, full) in sources.Files)
        {
            if (rel == requirementsRelative) continue; // a build input, not something the runtime reads
            contents.TryAdd(layer.HasOwnPythonFolder ? rel : PythonPrefix + rel, full);
        }

        var installed = DistributionScanner.Scan(site);
        var leaveOut = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assumed in layer.AssumesLayers)
            foreach (var d in builtLayers.GetValueOrDefault(assumed) ?? ProvidedBy(context, context.Project.Layer(assumed)))
            {
                var mine = installed.FirstOrDefault(i => i.NormalizedName == d.NormalizedName);
                if (mine is null) continue;
                leaveOut.Add(d.NormalizedName);
                if (mine.Version != d.Version)
                    context.Observer.Warn($"layer {layer.LogicalId} wants {mine.Name} {mine.Version} but layer {assumed}, which it assumes, provides {d.Version}; {d.Version} is what runs: align the pins");
            }
        if (leaveOut.Count > 0)
            context.Observer.Info($"layer {layer.LogicalId}: left out {string.Join(", ", leaveOut.Order(StringComparer.Ordinal))} (provided by {string.Join(", ", layer.AssumesLayers)})");
        var provides = installed.Where(d => !leaveOut.Contains(d.NormalizedName)).ToList();
        var shadowed = contents.AddInstall(site, installed, leaveOut, PipInstaller.BookkeepingFiles);
        foreach (var path in shadowed)
            context.Observer.Warn($"layer {layer.LogicalId}: your file {path} shadows the one pip installed; yours is packaged");

        return new PreparedArtifact(layer.LogicalId, ArtifactReport.LayerKind, layer.Runtime, layer.Architecture, contents, provides,
            context.Paths.LayerZip(layer.LogicalId), BuildPaths.LayerZipRelative(layer.LogicalId))
        {
            AssumesLayers = layer.AssumesLayers.Count > 0 ? layer.AssumesLayers : null,
            LeftOutSecrets = InstallStage.LeftOutReport(context, layer.ContentDir, sources),
        };
    }

    /// <summary>The distributions an already-built layer provides, read from its cached install.</summary>
    public static IReadOnlyList<Distribution> ProvidedBy(InstallContext context, LayerSpec layer)
    {
        if (layer.Build != BuildKind.Pip) return TreeArtifact.ProvidedBy(context, layer);
        var installed = DistributionScanner.Scan(context.Paths.LayerInstall(layer.LogicalId));
        var assumed = layer.AssumesLayers.SelectMany(a => ProvidedBy(context, context.Project.Layer(a))).Select(d => d.NormalizedName).ToHashSet();
        return installed.Where(d => !assumed.Contains(d.NormalizedName)).ToList();
    }

    /// <summary>The layer's requirements file: requirements.txt in its ContentUri, or in python/ under it; null when it has none.</summary>
    public static string? FindRequirements(LayerSpec layer)
    {
        if (File.Exists(layer.RequirementsFile)) return layer.RequirementsFile;
        var inPython = Path.Combine(layer.ContentDir, "python", "requirements.txt");
        return File.Exists(inPython) ? inPython : null;
    }
}
