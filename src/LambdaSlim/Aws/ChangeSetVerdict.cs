namespace LambdaSlim.Aws;

/// <summary>What a change set's status means for a deploy.</summary>
public enum ChangeSetVerdict
{
    /// <summary>Still being computed: ask again.</summary>
    Pending,

    /// <summary>Computed, with changes: show them, then execute.</summary>
    Ready,

    /// <summary>The template and parameters change nothing: the deploy is done.</summary>
    NoChanges,

    /// <summary>CloudFormation could not compute it (template errors and the like): its StatusReason says why.</summary>
    Failed,
}
