namespace LambdaSlim.Aws;

/// <summary>CREATE for a stack that does not exist yet (or only as REVIEW_IN_PROGRESS), UPDATE otherwise.</summary>
public enum ChangeSetType
{
    Create,
    Update,
}
