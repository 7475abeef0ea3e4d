namespace LambdaSlim.Aws;

/// <summary>DescribeStacks' answer for one stack.</summary>
public sealed record StackDescription(
    string StackId, string StackName, string Status, string? StatusReason,
    IReadOnlyDictionary<string, string> Outputs, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsInProgress => Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);
}
