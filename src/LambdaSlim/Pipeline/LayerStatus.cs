using LambdaSlim.Install;
using LambdaSlim.IO;
using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

public sealed record LayerState(LayerSpec Layer, ArtifactReport? Built, string State);

/// <summary>What `lambdaslim layers status` and `layers clean` act on: each layer's zip and cached install.</summary>
public static class LayerStatus
{
    public static IReadOnlyList<LayerState> Read(ProjectModel project, IReadOnlyList<LayerSpec> layers, BuildSettings settings)
    {
        var paths = new BuildPaths(project.ProjectDir);
        var report = BuildReport.TryLoad(paths.Report);
        return layers.Select(layer =>
        {
            var built = report?.Layers.FirstOrDefault(l => l.LogicalId == layer.LogicalId);
            if (built is null || !File.Exists(paths.LayerZip(layer.LogicalId))) return new LayerState(layer, null, "not built");
            var stamp = Path.Combine(paths.LayerInstall(layer.LogicalId), PipInstaller.RequirementsStampFile);
            if (!File.Exists(layer.RequirementsFile)) return new LayerState(layer, built, "built");
            var current = new InstallRequest(layer.RequirementsFile, layer.Runtime, layer.Architecture, settings.Pip, layer.LogicalId).RequirementsFingerprint();
            var state = File.Exists(stamp) && File.ReadAllText(stamp).Trim() == current ? "built, up to date" : "stale: requirements.txt, runtime or architecture changed since the build";
            return new LayerState(layer, built, state);
        }).ToList();
    }

    /// <summary>Deletes the layers' zips and cached installs, then rewrites the report and template without them.</summary>
    public static async Task CleanAsync(ProjectModel project, IReadOnlyList<LayerSpec> layers, CancellationToken cancellationToken)
    {
        var paths = new BuildPaths(project.ProjectDir);
        using var projectLock = ProjectLock.Acquire(paths);
        await BuildPipeline.RemoveArtifactsAsync(project, paths, layers.Select(l => l.LogicalId).ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        foreach (var layer in layers)
        {
            var site = paths.LayerInstall(layer.LogicalId);
            WriteBoundary.DeleteDirectory(paths.LayerWork(layer.LogicalId));
            InstallStage.RemoveIfUnused(paths, site); // unless another resource shares it
        }
    }
}
