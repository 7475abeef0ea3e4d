namespace LambdaSlim.Aws;

/// <summary>CreateChangeSet's answer: the ARNs of the change set and of its stack.</summary>
public sealed record CreatedChangeSet(string ChangeSetId, string StackId);
