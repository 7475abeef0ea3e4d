using LambdaSlim.Aws;
using LambdaSlim.Model;

namespace LambdaSlim.Operate;

/// <summary>
/// `lambdaslim status`: the stack's state and latest events, and each function's code in Lambda against the local
/// build and against the stack's own template, which tells a sync's drift apart. Reads only; needs no build (without
/// one every function is "not built").
/// </summary>
public static class StatusReader
{
    public static async Task<StatusReport> ReadAsync(StatusRequest request, CancellationToken cancellationToken = default)
    {
        var paths = new BuildPaths(Path.GetFullPath(request.ProjectDir));
        var build = BuildReport.TryLoad(paths.Report);
        var session = AwsSession.Open(request.Aws, request.Environment);
        using var cloudFormation = new CloudFormationClient(session);
        var stack = await cloudFormation.DescribeStackAsync(request.StackName, cancellationToken).ConfigureAwait(false)
            ?? throw new LambdaSlimException(ExitCode.AwsFailed, $"stack {request.StackName} does not exist in {session.Region}",
                $"check --stack-name and --region, or create it: lambdaslim deploy --stack-name {request.StackName}");
        var page = await cloudFormation.DescribeStackEventsAsync(stack.StackId, maxPages: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        // The stack may have finished between the two reads: its terminal event is then in the page already.
        var settled = !stack.IsInProgress || StackEventMonitor.Observe(page, new HashSet<string>()).Terminal;
        var resources = await cloudFormation.DescribeStackResourcesAsync(stack.StackId, cancellationToken).ConfigureAwait(false);
        var template = await cloudFormation.GetTemplateAsync(stack.StackId, cancellationToken).ConfigureAwait(false);
        var deployed = StatusTemplateCode.Read(template);

        var ids = resources.Where(r => r.ResourceType == SyncTargets.FunctionType).Select(r => r.LogicalResourceId)
            .Concat(build?.Functions.Select(f => f.LogicalId) ?? [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        using var lambda = new LambdaClient(session);
        var functions = new List<StatusFunction>();
        foreach (var id in ids)
        {
            var name = SyncTargets.FunctionName(resources, id);
            var live = name is null ? null : await lambda.GetFunctionConfigurationAsync(name, cancellationToken).ConfigureAwait(false);
            var lambdaSha = SyncSha.FromLambda(live?.CodeSha256);
            var local = build?.Functions.FirstOrDefault(f => f.LogicalId == id)?.Sha256;
            var code = local is null ? StatusCode.NotBuilt
                : lambdaSha is null ? StatusCode.NotDeployed
                : lambdaSha == local ? StatusCode.InSync
                : StatusCode.Differs;
            functions.Add(new(id, name, local, lambdaSha, deployed.GetValueOrDefault(id), code));
        }
        return new StatusReport(stack, [.. page.Take(request.Events).Reverse()], functions, page.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal), settled);
    }

    /// <summary>
    /// Prints the stack's events after those the report read, as a deploy does, until the stack reaches a terminal
    /// state: how a deploy's monitor stopped by Ctrl-C is resumed.
    /// </summary>
    public static async Task<StackProgress> FollowAsync(StatusRequest request, StatusReport report, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        var session = AwsSession.Open(request.Aws, request.Environment);
        using var cloudFormation = new CloudFormationClient(session);
        var deployer = new ChangeSetDeployer(cloudFormation, observer, request.PollInterval);
        return await deployer.FollowAsync(report.Stack.StackId, null, report.SeenEventIds, cancellationToken).ConfigureAwait(false);
    }
}
