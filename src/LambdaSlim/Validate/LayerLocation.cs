namespace LambdaSlim.Validate;

/// <summary>Where a layer version's zip can be downloaded from, or why GetLayerVersionByArn did not say.</summary>
/// <param name="Url">The presigned Content.Location; <c>null</c> when the lookup failed.</param>
/// <param name="Failure">One line saying why, when it failed.</param>
/// <param name="CostAWait">The failure took time (a timeout, an endpoint that cannot be reached), so it is worth remembering.</param>
/// <param name="Code">The exit code of the failure, for a command that stops on it: 4 for credentials, 10 for AWS.</param>
public sealed record LayerLocation(Uri? Url, string? Failure, bool CostAWait, ExitCode Code = ExitCode.AwsFailed);
