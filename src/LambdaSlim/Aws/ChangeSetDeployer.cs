namespace LambdaSlim.Aws;

/// <summary>
/// The CloudFormation half of a deploy: choose CREATE or UPDATE from the stack's state, create the change set and wait
/// for it, recognise "no changes", surface a failed change set's reason (deleting it), execute, and follow the stack's
/// events until a terminal state, printing each new event once through the observer. Cancelling stops the polling
/// and leaves the stack as CloudFormation has it.
/// </summary>
public sealed class ChangeSetDeployer(CloudFormationClient cloudFormation, IBuildObserver observer, TimeSpan pollInterval)
{
    /// <summary>CREATE for a new stack, UPDATE for one that can be updated; a stack that cannot be is one line saying what to do.</summary>
    public async Task<ChangeSetType> ChangeSetTypeForAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var stack = await cloudFormation.DescribeStackAsync(stackName, cancellationToken).ConfigureAwait(false);
        return stack?.Status switch
        {
            null or "REVIEW_IN_PROGRESS" => ChangeSetType.Create,
            "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED" or "DELETE_FAILED" => throw new LambdaSlimException(ExitCode.AwsFailed,
                $"the stack '{stackName}' is in {stack.Status}: its first create failed, and it must be deleted before it can be deployed again",
                $"delete it (lambdaslim delete --stack-name {stackName}, or aws cloudformation delete-stack --stack-name {stackName}) and deploy again"),
            _ when stack.IsInProgress => throw new LambdaSlimException(ExitCode.AwsFailed,
                $"the stack '{stackName}' is busy ({stack.Status})",
                $"wait for it to finish (lambdaslim status --stack-name {stackName} --follow) and deploy again"),
            _ => ChangeSetType.Update,
        };
    }

    /// <summary>
    /// Creates the change set and waits until CloudFormation has computed it. No changes: the change set is deleted and
    /// the verdict says so. Failed: it is deleted (with the empty stack a CREATE change set leaves behind) and its reason
    /// is the error.
    /// </summary>
    public async Task<PreparedChangeSet> PrepareAsync(ChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        observer.Info($"creating change set {request.ChangeSetName} for stack {request.StackName} ({request.Type.ToString().ToUpperInvariant()})");
        try
        {
            await cloudFormation.CreateChangeSetAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (LambdaSlimException e) when (e.InnerException is AwsRequestException { Code: "ValidationError" } refused && ChangeSetVerdicts.IsNoChanges(refused.AwsMessage))
        {
            // Some endpoints (moto; CloudFormation for UpdateStack) refuse at once instead of creating a FAILED change set.
            observer.Info($"stack {request.StackName}: no changes");
            return new(request, new("", request.ChangeSetName, "", request.StackName, "FAILED", null, refused.AwsMessage, []));
        }
        ChangeSetDescription description;
        while (true)
        {
            description = await cloudFormation.DescribeChangeSetAsync(request.StackName, request.ChangeSetName, cancellationToken).ConfigureAwait(false);
            if (description.Verdict != ChangeSetVerdict.Pending) break;
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
        switch (description.Verdict)
        {
            case ChangeSetVerdict.NoChanges:
                await DiscardAsync(request, description, cancellationToken).ConfigureAwait(false);
                observer.Info($"stack {request.StackName}: no changes");
                break;
            case ChangeSetVerdict.Failed:
                await DiscardAsync(request, description, cancellationToken).ConfigureAwait(false);
                throw new LambdaSlimException(ExitCode.AwsFailed,
                    $"CloudFormation could not create the change set for stack '{request.StackName}': {description.StatusReason ?? description.Status}",
                    "fix the template or parameters it names and deploy again (the failed change set was deleted)");
        }
        return new(request, description);
    }

    /// <summary>Executes a ready change set and follows the stack's events until it reaches a terminal state.</summary>
    public async Task<StackProgress> ExecuteAsync(PreparedChangeSet changeSet, CancellationToken cancellationToken = default)
    {
        if (changeSet.Verdict != ChangeSetVerdict.Ready)
            throw new InvalidOperationException($"change set {changeSet.Request.ChangeSetName} is {changeSet.Verdict}, not ready to execute");
        var stackId = changeSet.Description.StackId;
        // The newest event before executing, by CloudFormation's own clock: everything after it belongs to this deploy.
        var before = await cloudFormation.DescribeStackEventsAsync(stackId, maxPages: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        DateTimeOffset? after = before.Count > 0 ? before.Max(e => e.Timestamp) : null;
        await cloudFormation.ExecuteChangeSetAsync(changeSet.Request.StackName, changeSet.Request.ChangeSetName, cancellationToken).ConfigureAwait(false);
        observer.Info($"executing change set {changeSet.Request.ChangeSetName} on stack {changeSet.Request.StackName}");
        return await FollowAsync(stackId, after, before.Select(e => e.EventId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Follows a stack's events from <paramref name="after"/> until a terminal state (also what <c>status --follow</c> needs).</summary>
    public async Task<StackProgress> FollowAsync(string stackId, DateTimeOffset? after, IEnumerable<string>? alreadySeen = null, CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(alreadySeen ?? [], StringComparer.Ordinal);
        var printed = new HashSet<string>(StringComparer.Ordinal);
        var events = new List<StackEvent>();
        while (true)
        {
            var fresh = await cloudFormation.DescribeStackEventsAsync(stackId, seen, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var e in fresh)
            {
                if (seen.Add(e.EventId)) events.Add(e);
            }
            var progress = StackEventMonitor.Observe(events, printed, after);
            foreach (var e in progress.NewEvents)
            {
                if (e.IsFailure) observer.Warn(e.Line);
                else observer.Info(e.Line);
                printed.Add(e.EventId);
            }
            if (progress.Terminal) return progress;
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DiscardAsync(ChangeSetRequest request, ChangeSetDescription description, CancellationToken cancellationToken)
    {
        await cloudFormation.DeleteChangeSetAsync(description.StackId, description.ChangeSetId, cancellationToken).ConfigureAwait(false);
        if (request.Type != ChangeSetType.Create) return;
        // A CREATE change set made an empty stack in REVIEW_IN_PROGRESS; with its only change set gone it serves nothing.
        var stack = await cloudFormation.DescribeStackAsync(description.StackId, cancellationToken).ConfigureAwait(false);
        if (stack?.Status == "REVIEW_IN_PROGRESS") await cloudFormation.DeleteStackAsync(description.StackId, cancellationToken).ConfigureAwait(false);
    }
}
