namespace LambdaSlim.Aws;

/// <summary>GetFunction's (or GetFunctionConfiguration's) answer: what `sync` and `status` compare against the build.</summary>
public sealed record FunctionInfo(
    string FunctionName, string FunctionArn, string? Runtime, string? Handler, string? Role, long CodeSize, string? CodeSha256,
    string? PackageType, IReadOnlyList<string> Architectures, IReadOnlyList<string> LayerArns, string? CodeLocation)
{
    /// <summary>Active, Pending, Inactive or Failed; Lambda takes no change while Pending.</summary>
    public string? State { get; init; }
    public string? StateReason { get; init; }

    /// <summary>Successful, Failed or InProgress: the last update's; none on a function never updated.</summary>
    public string? LastUpdateStatus { get; init; }
    public string? LastUpdateStatusReason { get; init; }
    public string? LastModified { get; init; }

    /// <summary>No creation or update under way: the next change may be made.</summary>
    public bool IsSettled => State != "Pending" && LastUpdateStatus != "InProgress";
}
