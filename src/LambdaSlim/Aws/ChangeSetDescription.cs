namespace LambdaSlim.Aws;

/// <summary>DescribeChangeSet's answer, all pages of changes together.</summary>
/// <param name="Status">CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, DELETE_*, FAILED.</param>
/// <param name="ExecutionStatus">UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, EXECUTE_FAILED, OBSOLETE.</param>
public sealed record ChangeSetDescription(
    string ChangeSetId, string ChangeSetName, string StackId, string StackName, string Status, string? ExecutionStatus,
    string? StatusReason, IReadOnlyList<ResourceChange> Changes)
{
    public ChangeSetVerdict Verdict => ChangeSetVerdicts.Of(this);
}
