namespace LambdaSlim.Operate;

/// <summary>One function's code: the local build's sha256, Lambda's, and the one the stack's template deployed (all hex).</summary>
/// <param name="StackSha256">From the content-addressed key (…/&lt;sha256&gt;.zip) in the stack's template; null when it names none.</param>
public sealed record StatusFunction(string LogicalId, string? FunctionName, string? LocalSha256, string? LambdaSha256, string? StackSha256, StatusCode Code)
{
    /// <summary>Lambda runs code other than the stack's template names: a sync changed it, and a deploy brings the stack back in line.</summary>
    public bool Drifted => LambdaSha256 is not null && StackSha256 is not null && LambdaSha256 != StackSha256;
}
