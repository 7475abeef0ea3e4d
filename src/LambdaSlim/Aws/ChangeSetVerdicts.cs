namespace LambdaSlim.Aws;

/// <summary>
/// Reads a change set's status. CloudFormation reports "nothing to change" as a FAILED change set whose reason says so,
/// in one of two wordings (a change set of a stack, and one whose stack was created from a template identical to the last).
/// </summary>
public static class ChangeSetVerdicts
{
    private static readonly string[] NoChangeReasons =
    [
        "The submitted information didn't contain changes",
        "No updates are to be performed",
    ];

    public static ChangeSetVerdict Of(ChangeSetDescription changeSet) => changeSet.Status switch
    {
        "CREATE_PENDING" or "CREATE_IN_PROGRESS" => ChangeSetVerdict.Pending,
        "FAILED" when IsNoChanges(changeSet.StatusReason) => ChangeSetVerdict.NoChanges,
        "FAILED" or "DELETE_FAILED" or "DELETE_COMPLETE" or "DELETE_PENDING" or "DELETE_IN_PROGRESS" => ChangeSetVerdict.Failed,
        _ when changeSet.Changes.Count == 0 => ChangeSetVerdict.NoChanges,
        _ => ChangeSetVerdict.Ready,
    };

    public static bool IsNoChanges(string? reason) =>
        reason is not null && NoChangeReasons.Any(r => reason.Contains(r, StringComparison.OrdinalIgnoreCase));
}
