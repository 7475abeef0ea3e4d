namespace LambdaSlim.Validate;

/// <summary>
/// AWS Lambda's hard limits, in one place. Source: AWS Lambda Developer Guide, "Lambda quotas"
/// (docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
/// </summary>
public static class SizeLimits
{
    /// <summary>Function code plus all its layers, unzipped: 250 MiB.</summary>
    public const long TotalUnzippedBytes = 262_144_000;

    /// <summary>A zip uploaded directly with the API (not through S3): 50 MiB.</summary>
    public const long DirectUploadZippedBytes = 52_428_800;

    public const int MaxLayersPerFunction = 5;

    /// <summary>The console's inline editor stops showing code above 3 MB. Information only.</summary>
    public const long ConsoleEditorBytes = 3 * 1024 * 1024;
}
