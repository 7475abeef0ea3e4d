using LambdaSlim.Install;
using LambdaSlim.Package;
using LambdaSlim.Project;
using LambdaSlim.Report;

namespace LambdaSlim.Build;

/// <summary>A built layer: its report entry and the distributions it provides to functions.</summary>
public sealed record BuiltLayer(ArtifactReport Report, IReadOnlyList<Distribution> Provides);

/// <summary>
/// Builds one layer: pip installs its requirements for the Lambda platform, and its own files
/// (shared modules next to requirements.txt) go with them under python/, which Lambda puts at /opt/python.
/// </summary>
public static class LayerBuilder
{
    public const string PythonPrefix = "python/";

    public static async Task<BuiltLayer> BuildAsync(BuildContext context, LayerSpec layer, CancellationToken cancellationToken)
    {
        var site = context.Paths.LayerInstall(layer.LogicalId);
        var requirements = FindRequirements(layer);
        if (requirements is not null)
            await InstallAsync(context, new InstallRequest(requirements, layer.Runtime, layer.Architecture, context.Settings.Pip, $"layer {layer.LogicalId}"), site, cancellationToken).ConfigureAwait(false);
        else if (Directory.Exists(site))
            Directory.Delete(site, recursive: true); // requirements.txt was removed: a stale install must not ship

        var contents = new ArtifactContents();
        var secrets = new List<SkippedSecret>();
        var includes = layer.Settings.GetList("include").Select(g => new Glob(g)).ToList();
        foreach (var (rel, full) in SourceFiles.Collect(layer.ContentDir, includes, secrets))
        {
            if (full == requirements) continue; // a build input, not something the runtime reads
            contents.TryAdd(layer.HasOwnPythonFolder ? rel : PythonPrefix + rel, full);
        }
        ReportSecrets(context, $"layer {layer.LogicalId}", secrets);

        var provides = DistributionScanner.Scan(site);
        var shadowed = contents.AddInstall(site, PythonPrefix, provides, new HashSet<string>());
        foreach (var path in shadowed)
            context.Observer.Warn($"layer {layer.LogicalId}: your file {path} shadows the one pip installed; yours is packaged");

        var report = await ArtifactZipper.ZipAsync(context, layer.LogicalId, ArtifactReport.LayerKind, layer.Runtime.Name,
            layer.Architecture.ToLambdaName(), contents, context.Paths.LayerZip(layer.LogicalId),
            BuildPaths.LayerZipRelative(layer.LogicalId), cancellationToken).ConfigureAwait(false);
        return new BuiltLayer(report, provides);
    }

    /// <summary>The distributions an already-built layer provides, read from its cached install.</summary>
    public static IReadOnlyList<Distribution> ProvidedBy(BuildContext context, LayerSpec layer) =>
        DistributionScanner.Scan(context.Paths.LayerInstall(layer.LogicalId));

    private static string? FindRequirements(LayerSpec layer)
    {
        if (File.Exists(layer.RequirementsFile)) return layer.RequirementsFile;
        var inPython = Path.Combine(layer.ContentDir, "python", "requirements.txt");
        return File.Exists(inPython) ? inPython : null;
    }

    internal static async Task InstallAsync(BuildContext context, InstallRequest request, string site, CancellationToken cancellationToken)
    {
        using var step = context.Observer.Step($"Installing {request.Owner} for {request.Runtime} {request.Architecture.ToLambdaName()}");
        var ran = await PipInstaller.InstallAsync(request, site, step, context.Settings.ForceInstall, cancellationToken).ConfigureAwait(false);
        step.Status(ran ? $"{request.Owner}: installed" : $"{request.Owner}: requirements unchanged, using the cached install");
    }

    internal static void ReportSecrets(BuildContext context, string owner, IReadOnlyList<SkippedSecret> secrets)
    {
        foreach (var s in secrets)
            context.Observer.Warn($"{owner}: left out {s.RelativePath} ({s.Reason}); list it under 'Metadata: LambdaSlim: include:' if it must ship");
    }
}
