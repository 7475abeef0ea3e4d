namespace LambdaSlim.Aws;

/// <summary>A change set CloudFormation has computed: <see cref="ChangeSetVerdict.Ready"/> to execute, or <see cref="ChangeSetVerdict.NoChanges"/> (already deleted).</summary>
public sealed record PreparedChangeSet(ChangeSetRequest Request, ChangeSetDescription Description)
{
    public ChangeSetVerdict Verdict => Description.Verdict;
}
