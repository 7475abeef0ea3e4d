using LambdaSlim.Aws;
using LambdaSlim.IO;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>
/// Deploys the committed build: every zip to S3 under its sha256 (skipped when already there), the built template
/// rewritten to point at them, then a CloudFormation change set on the stack, shown, executed and followed until the
/// stack settles. A failed deploy ends with its root causes and exit code 10; the stack is left as CloudFormation has it.
/// </summary>
public static class Deployment
{
    /// <summary>CloudFormation takes a template body of at most this many bytes; a bigger one must come from S3.</summary>
    public const int MaxTemplateBody = 51_200;

    public static async Task<DeployResult> RunAsync(DeployRequest request, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        var paths = new BuildPaths(Path.GetFullPath(request.ProjectDir));
        using var projectLock = ProjectLock.Acquire(paths);
        var report = CommittedBuild.Load(paths);
        var session = AwsSession.Open(request.Aws, request.Environment);
        observer.Info($"deploying to {session.Region} with credentials from {session.CredentialSource}");

        var uploads = new List<S3Artifact>();
        var byZip = new Dictionary<string, S3Artifact>(StringComparer.Ordinal);
        using (var bucket = await ArtifactBucket.OpenAsync(session, request.Bucket, request.Prefix, observer, cancellationToken).ConfigureAwait(false))
        {
            var artifacts = report.Layers.Concat(report.Functions).ToList();
            using var step = observer.Step($"Uploading {artifacts.Count} zips to s3://{bucket.Name}/{bucket.Prefix}", artifacts.Count);
            foreach (var artifact in artifacts)
            {
                var zip = Path.Combine(paths.Output, artifact.Zip);
                var uploaded = await bucket.UploadAsync(zip, cancellationToken).ConfigureAwait(false);
                uploads.Add(uploaded);
                byZip[zip] = uploaded;
                step.Report(uploads.Count);
            }
            var sent = uploads.Count(u => u.Uploaded);
            step.Status($"uploaded {sent} zip{(sent == 1 ? "" : "s")} ({Bytes.Format(uploads.Where(u => u.Uploaded).Sum(u => u.Size))}); {uploads.Count - sent} already there");
        }

        var project = Project.ProjectLoader.Load(paths.ProjectDir);
        var shareWith = project.Layers.Where(l => l.ShareWith.Count > 0).ToDictionary(l => l.LogicalId, l => l.ShareWith, StringComparer.Ordinal);
        foreach (var (layer, principals) in shareWith.Where(s => s.Value.Contains("*")))
            observer.Warn($"layer {layer}: share-with '*' lets every AWS account use it");
        var packaged = S3TemplateRewriter.Rewrite(paths.Template, byZip, shareWith);
        if (packaged.LocalPaths.Count > 0)
            throw LambdaSlimException.Input($"the built template still names local paths ({string.Join(", ", packaged.LocalPaths.Take(3))})",
                "those resources need `sam build`/`sam package`; deploy them with `sam deploy -t .lambdaslim/build/template.yaml`");
        var deployed = Path.Combine(paths.Root, "deploy", BuildPaths.FileStem(request.StackName), "template.yaml");
        await AtomicFile.WriteAllTextAsync(deployed, packaged.Yaml, cancellationToken).ConfigureAwait(false);

        var template = packaged.Yaml;
        LayersFirstPlan? plan = null;
        PreparedChangeSet? layers = null;
        StackProgress? layersOutcome = null;
        if (request.LayersFirst && await PlanLayersFirstAsync(session, request, packaged.Yaml, uploads, observer, cancellationToken).ConfigureAwait(false) is { } staged)
        {
            plan = staged.Plan;
            template = plan.Stage2!;
            await AtomicFile.WriteAllTextAsync(deployed, template, cancellationToken).ConfigureAwait(false);
            (layers, layersOutcome) = await PublishLayersAsync(session, request, staged, Path.Combine(Path.GetDirectoryName(deployed)!, "stage1.yaml"), observer, cancellationToken).ConfigureAwait(false);
            if (request.NoExecute)
            {
                observer.Info("stage 2 (the functions) cannot be created before stage 1 is executed: it refers to layer versions stage 1 publishes; " +
                    $"its template is {deployed}");
                return new DeployResult(uploads, deployed, layers, null, plan, layers, null);
            }
        }
        // One change set: an earlier deploy's stage 1 is not what is deployed now.
        else WriteBoundary.DeleteFile(Path.Combine(Path.GetDirectoryName(deployed)!, "stage1.yaml"));
        var templateUrl = await TemplateUrlAsync(session, request, deployed, observer, cancellationToken).ConfigureAwait(false);
        var (changeSet, outcome) = await ApplyAsync(session, request, template, templateUrl, observer, cancellationToken).ConfigureAwait(false);
        if (request.KeepForRollback && (outcome?.Succeeded == true || changeSet.Verdict == ChangeSetVerdict.NoChanges))
            await Releases.RecordAsync(paths, request.StackName, new Release(template, request.Parameters, request.Tags, DateTimeOffset.UtcNow,
                uploads.FirstOrDefault()?.Bucket ?? request.Bucket, request.Prefix), cancellationToken).ConfigureAwait(false);
        return new DeployResult(uploads, deployed, changeSet, outcome, plan, layers, layersOutcome);
    }

    /// <summary>
    /// For --layers-first: the stack's current template against the new one. Two change sets when layers and functions
    /// both change; otherwise <c>null</c> (one ordinary change set), saying why.
    /// </summary>
    private static async Task<(LayersFirstPlan Plan, IReadOnlyList<string> StackParameters)?> PlanLayersFirstAsync(AwsSession session, DeployRequest request, string packaged,
        IReadOnlyList<S3Artifact> uploads, IBuildObserver observer, CancellationToken cancellationToken)
    {
        using var cloudFormation = new CloudFormationClient(session);
        var stack = await cloudFormation.DescribeStackAsync(request.StackName, cancellationToken).ConfigureAwait(false);
        if (stack is null || stack.Status == "REVIEW_IN_PROGRESS")
        {
            observer.Info("--layers-first: one change set, since the stack is new: nothing runs on old layers yet");
            return null;
        }
        var current = await cloudFormation.GetTemplateAsync(request.StackName, cancellationToken).ConfigureAwait(false);
        var plan = LayersFirst.Plan(current, packaged, uploads.GroupBy(u => u.S3Uri).ToDictionary(g => g.Key, g => g.First().Sha256, StringComparer.Ordinal));
        if (!plan.Staged)
        {
            observer.Info($"--layers-first: one change set, since {plan.SingleBecause}");
            return null;
        }
        observer.Info($"--layers-first: stage 1 publishes {string.Join(", ", plan.ChangedLayers.Select(l => $"{l.Key} (as {l.Value})"))}; " +
            $"stage 2 then updates {string.Join(", ", plan.ChangedFunctions)}");
        return (plan, [.. stack.Parameters.Keys]);
    }

    /// <summary>Stage 1: the current template plus the new layer versions, with the stack's current parameter values. A failure stops the deploy.</summary>
    private static async Task<(PreparedChangeSet, StackProgress?)> PublishLayersAsync(AwsSession session, DeployRequest request,
        (LayersFirstPlan Plan, IReadOnlyList<string> StackParameters) staged, string file, IBuildObserver observer, CancellationToken cancellationToken)
    {
        await AtomicFile.WriteAllTextAsync(file, staged.Plan.Stage1!, cancellationToken).ConfigureAwait(false);
        var url = await TemplateUrlAsync(session, request, file, observer, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ApplyAsync(session, request with { Parameters = new Dictionary<string, string>() }, staged.Plan.Stage1!, url, observer, cancellationToken,
                staged.StackParameters).ConfigureAwait(false);
        }
        catch (LambdaSlimException e) when (e.ExitCode == ExitCode.AwsFailed)
        {
            throw new LambdaSlimException(e.ExitCode, $"stage 1 of --layers-first (publishing the layers) failed: {e.Message}",
                $"the functions were not touched; {e.Hint ?? "fix the cause and deploy again"}", e);
        }
    }

    /// <summary>
    /// Redeploys the release before the last good one (`lambdaslim rollback`): its template, whose zips are still in S3
    /// under their sha256, with its parameters and tags.
    /// </summary>
    public static async Task<(Release Release, PreparedChangeSet ChangeSet, StackProgress? Outcome)> RollBackAsync(DeployRequest request, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        var paths = new BuildPaths(Path.GetFullPath(request.ProjectDir));
        using var projectLock = ProjectLock.Acquire(paths);
        var release = Releases.Previous(paths, request.StackName)
            ?? throw LambdaSlimException.Input($"nothing to roll stack {request.StackName} back to: no earlier release was kept",
                "deploy with --enable-rollback; each such deploy keeps the one before it");
        var session = AwsSession.Open(request.Aws, request.Environment);
        observer.Info($"rolling stack {request.StackName} back to the release deployed at {release.DeployedAt:u}");
        request = request with { Parameters = release.Parameters, Tags = release.Tags, Bucket = release.Bucket ?? request.Bucket, Prefix = release.Prefix ?? request.Prefix };
        var file = Path.Combine(paths.Root, "deploy", BuildPaths.FileStem(request.StackName), "rollback.yaml");
        await AtomicFile.WriteAllTextAsync(file, release.Template, cancellationToken).ConfigureAwait(false);
        var templateUrl = await TemplateUrlAsync(session, request, file, observer, cancellationToken).ConfigureAwait(false);
        var (changeSet, outcome) = await ApplyAsync(session, request, release.Template, templateUrl, observer, cancellationToken).ConfigureAwait(false);
        if (outcome?.Succeeded == true) await Releases.RolledBackAsync(paths, request.StackName, cancellationToken).ConfigureAwait(false);
        return (release, changeSet, outcome);
    }

    /// <summary>
    /// Where CloudFormation reads the template in <paramref name="file"/> from: <c>null</c> to send it as the request's
    /// body; over CloudFormation's 51,200-byte limit for a body, its URL in the artifact bucket, beside the zips, as
    /// `sam deploy` does.
    /// </summary>
    private static async Task<string?> TemplateUrlAsync(AwsSession session, DeployRequest request, string file, IBuildObserver observer, CancellationToken cancellationToken)
    {
        if (new FileInfo(file).Length <= MaxTemplateBody) return null;
        using var bucket = await ArtifactBucket.OpenAsync(session, request.Bucket, request.Prefix, observer, cancellationToken).ConfigureAwait(false);
        var uploaded = await bucket.UploadAsync(file, cancellationToken, ".template", "application/x-yaml").ConfigureAwait(false);
        // The URL in S3's own form: CloudFormation (and the emulators, which read it from their own S3) take it apart.
        var url = $"https://{uploaded.Bucket}.s3.{session.Region}.amazonaws.com/{uploaded.Key}";
        observer.Info($"the template is over {MaxTemplateBody:N0} bytes, so CloudFormation reads it from {url}");
        return url;
    }

    /// <summary>Creates the change set, and unless there is nothing to do or --no-execute, executes it and follows the stack to its end.</summary>
    /// <param name="templateUrl">Where CloudFormation reads a template too big for a body; null to send <paramref name="template"/> itself.</param>
    /// <param name="previousParameters">Parameters that keep the stack's current values.</param>
    private static async Task<(PreparedChangeSet, StackProgress?)> ApplyAsync(AwsSession session, DeployRequest request, string template, string? templateUrl, IBuildObserver observer,
        CancellationToken cancellationToken, IReadOnlyList<string>? previousParameters = null)
    {
        using var cloudFormation = new CloudFormationClient(session);
        var deployer = new ChangeSetDeployer(cloudFormation, observer, request.PollInterval);
        var type = await deployer.ChangeSetTypeForAsync(request.StackName, cancellationToken).ConfigureAwait(false);
        var name = $"lambdaslim-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..39];
        var changeSet = await deployer.PrepareAsync(new ChangeSetRequest(request.StackName, name, type)
        {
            TemplateBody = templateUrl is null ? template : null,
            TemplateUrl = templateUrl,
            Parameters = request.Parameters,
            PreviousParameters = previousParameters ?? [],
            Tags = request.Tags,
            Description = $"{BuildPipeline.ToolName} {BuildPipeline.ToolVersion}",
        }, cancellationToken).ConfigureAwait(false);
        if (changeSet.Verdict != ChangeSetVerdict.Ready || request.NoExecute) return (changeSet, null);

        StackProgress outcome;
        try
        {
            outcome = await deployer.ExecuteAsync(changeSet, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new LambdaSlimException(ExitCode.Cancelled, $"stopped following stack {request.StackName}; CloudFormation goes on with the change set",
                $"resume following it with `lambdaslim status --stack-name {request.StackName} --follow`");
        }
        if (!outcome.Succeeded)
        {
            var causes = outcome.RootCauses.Select(e => $"{e.LogicalResourceId} {e.ResourceStatus}: {e.ResourceStatusReason}").ToList();
            throw new LambdaSlimException(ExitCode.AwsFailed,
                $"stack {request.StackName} ended {outcome.FinalStatus}{(causes.Count > 0 ? $"; first failure: {causes[0]}" : "")}",
                causes.Count > 1 ? $"also: {string.Join("; ", causes.Skip(1).Take(2))}" : "fix the cause and deploy again");
        }
        return (changeSet, outcome);
    }
}
