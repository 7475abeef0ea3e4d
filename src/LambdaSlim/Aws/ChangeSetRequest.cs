namespace LambdaSlim.Aws;

/// <summary>
/// A change set to create. Exactly one of <see cref="TemplateBody"/> (up to 51,200 bytes) and <see cref="TemplateUrl"/>
/// (an S3 URL, up to 1 MB). CAPABILITY_IAM and CAPABILITY_AUTO_EXPAND (the SAM transform, macros) are always asked for.
/// </summary>
public sealed record ChangeSetRequest(string StackName, string ChangeSetName, ChangeSetType Type)
{
    public string? TemplateBody { get; init; }
    public string? TemplateUrl { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Parameters that keep the stack's current value (UsePreviousValue), NoEcho ones included.</summary>
    public IReadOnlyList<string> PreviousParameters { get; init; } = [];
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public string? Description { get; init; }
}
