namespace LambdaSlim.Aws;

/// <summary>A layer version, as GetLayerVersionByArn and ListLayerVersions describe it.</summary>
/// <param name="CodeSize">The zip's size in bytes (GetLayerVersionByArn only; 0 from a listing).</param>
/// <param name="Location">A presigned URL of the zip, valid for ten minutes (GetLayerVersionByArn only).</param>
public sealed record LayerVersionInfo(
    string LayerVersionArn, long Version, string? Description, long CodeSize, string? CodeSha256, string? Location,
    IReadOnlyList<string> CompatibleRuntimes, IReadOnlyList<string> CompatibleArchitectures);
