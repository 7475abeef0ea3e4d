using LambdaSlim.Aws;
using LambdaSlim.Model;
using LambdaSlim.Pipeline;
using LambdaSlim.Project;

namespace LambdaSlim.Operate;

/// <summary>
/// The fast path for code changes (`lambdaslim sync`): the committed build's zips straight to Lambda, past
/// CloudFormation. A layer gets a new version only when its zip differs from the latest version's; a function's code
/// is replaced only when its zip differs from what Lambda runs, and its layer list only when that changed. Each
/// update is waited for before the next, as Lambda requires. Nothing changed: no write call at all. The stack then
/// drifts from its template until the next deploy, as with `sam sync`.
/// </summary>
public static class Sync
{
    public static async Task<SyncResult> RunAsync(SyncRequest request, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        var paths = new BuildPaths(Path.GetFullPath(request.ProjectDir));
        using var projectLock = ProjectLock.Acquire(paths);
        var report = CommittedBuild.Load(paths);
        var project = ProjectLoader.Load(paths.ProjectDir, request.TemplatePath);
        var functions = Select(project, report, request.Function);
        var layerIds = request.Function is null || IsAll(request.Function)
            ? report.Layers.Select(l => l.LogicalId).ToList()
            : functions.SelectMany(f => f.Spec.Layers.OfType<LayerRef.Local>().Select(l => l.LogicalId)).Distinct(StringComparer.Ordinal).ToList();

        var session = AwsSession.Open(request.Aws, request.Environment);
        observer.Info($"syncing to stack {request.StackName} in {session.Region} with credentials from {session.CredentialSource}");
        IReadOnlyList<StackResource> resources;
        using (var cloudFormation = new CloudFormationClient(session))
        {
            var stack = await cloudFormation.DescribeStackAsync(request.StackName, cancellationToken).ConfigureAwait(false)
                ?? throw new LambdaSlimException(ExitCode.AwsFailed, $"stack {request.StackName} does not exist in {session.Region}",
                    $"create it first: lambdaslim deploy --stack-name {request.StackName}");
            if (stack.IsInProgress)
                throw new LambdaSlimException(ExitCode.AwsFailed, $"stack {request.StackName} is busy ({stack.Status})",
                    $"wait for it to finish (lambdaslim status --stack-name {request.StackName} --follow) and sync again");
            resources = await cloudFormation.DescribeStackResourcesAsync(stack.StackId, cancellationToken).ConfigureAwait(false);
        }

        using var lambda = new LambdaClient(session);
        await using var uploads = new SyncUploads(session, request, observer);
        var layerNames = layerIds.Count > 0 && SyncTargets.NeedsLayerNames(resources)
            ? await lambda.ListLayerNamesAsync(cancellationToken).ConfigureAwait(false)
            : [];
        var layers = new List<SyncedLayer>();
        foreach (var id in layerIds)
        {
            var artifact = report.Layers.FirstOrDefault(l => l.LogicalId == id)
                ?? throw LambdaSlimException.Input($"layer {id} is not in the committed build", "build again: lambdaslim build");
            var name = SyncTargets.LayerName(resources, id, request.StackName, layerNames) ?? throw SyncTargets.NotInStack("layer", id, request.StackName);
            layers.Add(await SyncLayerAsync(lambda, uploads, paths, project.Layers.FirstOrDefault(l => l.LogicalId == id), artifact, name, observer, cancellationToken).ConfigureAwait(false));
        }
        var layerArns = layers.ToDictionary(l => l.LogicalId, l => l.VersionArn, StringComparer.Ordinal);

        var synced = new List<SyncedFunction>();
        foreach (var (spec, artifact) in functions)
        {
            var name = SyncTargets.FunctionName(resources, spec.LogicalId) ?? throw SyncTargets.NotInStack("function", spec.LogicalId, request.StackName);
            synced.Add(await SyncFunctionAsync(lambda, uploads, request, paths, spec, artifact, name, layerArns, observer, cancellationToken).ConfigureAwait(false));
        }
        var result = new SyncResult(request.StackName, layers, synced);
        // The functions' sizes changed with their code or layers: the PackageSize alarm sees them as after a deploy.
        // A sync that changed nothing writes nothing, to CloudWatch neither.
        if (request.Metrics && !result.NoChanges)
        {
            var names = report.Functions.Select(f => (f.LogicalId, Name: SyncTargets.FunctionName(resources, f.LogicalId)))
                .Where(f => f.Name is not null).ToDictionary(f => f.LogicalId, f => f.Name!, StringComparer.Ordinal);
            await PackageSizeMetrics.PublishAsync(session, report, names, observer, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    private static bool IsAll(string name) => string.Equals(name, "all", StringComparison.OrdinalIgnoreCase);

    /// <summary>The functions to sync with their built zips; an unknown name is a usage error listing the names there are.</summary>
    private static List<(FunctionSpec Spec, ArtifactReport Artifact)> Select(ProjectModel project, BuildReport report, string? name)
    {
        var built = project.Functions
            .Select(f => (Spec: f, Artifact: report.Functions.FirstOrDefault(a => a.LogicalId == f.LogicalId)))
            .Where(p => p.Artifact is not null)
            .Select(p => (p.Spec, p.Artifact!))
            .ToList();
        if (name is null || IsAll(name)) return built;
        var match = built.Where(p => string.Equals(p.Spec.LogicalId, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (match.Count == 0)
        {
            throw new LambdaSlimException(ExitCode.Usage, $"no built function named '{name}' in {project.Template.Path}",
                $"use one of: {string.Join(", ", built.Select(p => p.Spec.LogicalId))}, or 'all'");
        }
        return match;
    }

    private static async Task<SyncedLayer> SyncLayerAsync(LambdaClient lambda, SyncUploads uploads, BuildPaths paths, LayerSpec? spec, ArtifactReport artifact,
        string layerName, IBuildObserver observer, CancellationToken cancellationToken)
    {
        var versions = await lambda.ListLayerVersionsAsync(layerName, cancellationToken: cancellationToken).ConfigureAwait(false);
        var latest = versions.MaxBy(v => v.Version);
        // A listing carries no CodeSha256 on AWS; the version itself does.
        var latestSha = latest?.CodeSha256 ?? (latest is null ? null : (await lambda.GetLayerVersionByArnAsync(latest.LayerVersionArn, cancellationToken).ConfigureAwait(false))?.CodeSha256);
        if (latest is not null && latestSha == SyncSha.ToLambda(artifact.Sha256))
        {
            observer.Info($"layer {artifact.LogicalId}: unchanged (version {latest.Version})");
            return new(artifact.LogicalId, layerName, latest.LayerVersionArn, Published: false);
        }
        var zip = Path.Combine(paths.Output, artifact.Zip);
        var code = await uploads.CodeForAsync(zip, artifact, cancellationToken).ConfigureAwait(false);
        var published = await lambda.PublishLayerVersionAsync(layerName, code, latest?.Description ?? $"{BuildPipeline.ToolName} sync",
            spec?.CompatibleRuntimes ?? latest?.CompatibleRuntimes ?? [artifact.Runtime],
            spec?.CompatibleArchitectures ?? latest?.CompatibleArchitectures ?? [], cancellationToken).ConfigureAwait(false);
        observer.Info($"layer {artifact.LogicalId}: published version {published.Version} of {layerName} ({Bytes.Format(artifact.ZippedBytes)})");
        return new(artifact.LogicalId, layerName, published.LayerVersionArn, Published: true, ThroughS3: code is LambdaCode.InS3);
    }

    private static async Task<SyncedFunction> SyncFunctionAsync(LambdaClient lambda, SyncUploads uploads, SyncRequest request, BuildPaths paths, FunctionSpec spec,
        ArtifactReport artifact, string functionName, IReadOnlyDictionary<string, string> layerArns, IBuildObserver observer, CancellationToken cancellationToken)
    {
        var function = await lambda.GetFunctionConfigurationAsync(functionName, cancellationToken).ConfigureAwait(false)
            ?? throw new LambdaSlimException(ExitCode.AwsFailed, $"function {spec.LogicalId} of stack {request.StackName} ({functionName}) no longer exists in Lambda",
                $"deploy the stack again: lambdaslim deploy --stack-name {request.StackName}");
        if (!function.IsSettled)
            function = await lambda.WaitUntilUpdatedAsync(functionName, request.UpdateTimeout, request.PollInterval, cancellationToken).ConfigureAwait(false);

        var codeChanged = function.CodeSha256 != SyncSha.ToLambda(artifact.Sha256);
        var wanted = WantedLayers(spec, layerArns, observer);
        var layersChanged = wanted is not null && !wanted.SequenceEqual(function.LayerArns, StringComparer.Ordinal);
        var throughS3 = false;
        // Layers first: new code that needs a new dependency never runs without it (the order `sam sync` keeps too).
        if (layersChanged)
        {
            await lambda.UpdateFunctionLayersAsync(functionName, wanted!, cancellationToken).ConfigureAwait(false);
            await lambda.WaitUntilUpdatedAsync(functionName, request.UpdateTimeout, request.PollInterval, cancellationToken).ConfigureAwait(false);
            observer.Info($"function {spec.LogicalId}: layers set to {string.Join(", ", wanted!.Select(a => a[(a.LastIndexOf(":layer:", StringComparison.Ordinal) + 7)..]))}");
        }
        if (codeChanged)
        {
            var code = await uploads.CodeForAsync(Path.Combine(paths.Output, artifact.Zip), artifact, cancellationToken).ConfigureAwait(false);
            throughS3 = code is LambdaCode.InS3;
            await lambda.UpdateFunctionCodeAsync(functionName, code, cancellationToken).ConfigureAwait(false);
            await lambda.WaitUntilUpdatedAsync(functionName, request.UpdateTimeout, request.PollInterval, cancellationToken).ConfigureAwait(false);
            observer.Info($"function {spec.LogicalId}: code updated ({functionName}, {Bytes.Format(artifact.ZippedBytes)})");
        }
        if (!codeChanged && !layersChanged) observer.Info($"function {spec.LogicalId}: unchanged");
        return new(spec.LogicalId, functionName, codeChanged, layersChanged, throughS3);
    }

    /// <summary>
    /// The function's layers as version ARNs, in the template's order; null when one is an intrinsic sync cannot
    /// resolve (an !ImportValue, a !Sub), and the function's layers are then left as they are.
    /// </summary>
    private static List<string>? WantedLayers(FunctionSpec spec, IReadOnlyDictionary<string, string> layerArns, IBuildObserver observer)
    {
        var arns = new List<string>();
        foreach (var layer in spec.Layers)
        {
            switch (layer)
            {
                case LayerRef.Local local when layerArns.TryGetValue(local.LogicalId, out var arn):
                    arns.Add(arn);
                    break;
                case LayerRef.External external when external.Display.StartsWith("arn:", StringComparison.Ordinal):
                    arns.Add(external.Display);
                    break;
                default:
                    observer.Info($"function {spec.LogicalId}: its layer {layer} is not one sync resolves, so its layers are left as they are");
                    return null;
            }
        }
        return arns;
    }
}
