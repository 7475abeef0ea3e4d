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
        // Over CloudFormation's limit for a template body, the template goes to S3 beside the zips, as `sam deploy` does.
        string? templateUrl = null;
        if (System.Text.Encoding.UTF8.GetByteCount(packaged.Yaml) > MaxTemplateBody)
        {
            using var bucket = await ArtifactBucket.OpenAsync(session, request.Bucket, request.Prefix, observer, cancellationToken).ConfigureAwait(false);
            var uploaded = await bucket.UploadAsync(deployed, cancellationToken, ".template", "application/x-yaml").ConfigureAwait(false);
            // The URL in S3's own form: CloudFormation (and the emulators, which read it from their own S3) take it apart.
            templateUrl = $"https://{uploaded.Bucket}.s3.{session.Region}.amazonaws.com/{uploaded.Key}";
            observer.Info($"the template is over {MaxTemplateBody:N0} bytes, so CloudFormation reads it from {templateUrl}");
        }

        var (changeSet, outcome) = await ApplyAsync(session, request, packaged.Yaml, templateUrl, observer, cancellationToken).ConfigureAwait(false);
        if (request.KeepForRollback && (outcome?.Succeeded == true || changeSet.Verdict == ChangeSetVerdict.NoChanges))
            await Releases.RecordAsync(paths, request.StackName, new Release(packaged.Yaml, request.Parameters, request.Tags, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        return new DeployResult(uploads, deployed, changeSet, outcome);
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
        var (changeSet, outcome) = await ApplyAsync(session, request with { Parameters = release.Parameters, Tags = release.Tags }, release.Template, null, observer, cancellationToken).ConfigureAwait(false);
        if (outcome?.Succeeded == true) await Releases.RolledBackAsync(paths, request.StackName, cancellationToken).ConfigureAwait(false);
        return (release, changeSet, outcome);
    }

    /// <summary>Creates the change set, and unless there is nothing to do or --no-execute, executes it and follows the stack to its end.</summary>
    /// <param name="templateUrl">Where CloudFormation reads a template too big for a body; null to send <paramref name="template"/> itself.</param>
    private static async Task<(PreparedChangeSet, StackProgress?)> ApplyAsync(AwsSession session, DeployRequest request, string template, string? templateUrl, IBuildObserver observer, CancellationToken cancellationToken)
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
