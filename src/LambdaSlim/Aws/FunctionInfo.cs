namespace LambdaSlim.Aws;

/// <summary>GetFunction's answer: the configuration the next issue's code updates compare against.</summary>
public sealed record FunctionInfo(
    string FunctionName, string FunctionArn, string? Runtime, string? Handler, string? Role, long CodeSize, string? CodeSha256,
    string? PackageType, IReadOnlyList<string> Architectures, IReadOnlyList<string> LayerArns, string? CodeLocation);
