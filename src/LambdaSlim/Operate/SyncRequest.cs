using LambdaSlim.Aws;
using LambdaSlim.Validate;

namespace LambdaSlim.Operate;

/// <summary>What `lambdaslim sync` pushes where: the committed build's code of one function, or all, to a deployed stack.</summary>
public sealed record SyncRequest
{
    public required string ProjectDir { get; init; }
    public string? TemplatePath { get; init; }
    public required string StackName { get; init; }

    /// <summary>A function's logical ID, or null (or "all") for every function the build made.</summary>
    public string? Function { get; init; }
    public AwsOptions Aws { get; init; } = AwsOptions.Default;

    /// <summary>The bucket for zips too big to send in the request; null uses (or creates) lambdaslim-artifacts-ACCOUNT-REGION.</summary>
    public string? Bucket { get; init; }
    public string Prefix { get; init; } = "";

    /// <summary>Zips up to this size go inside the request; bigger ones go through S3 (the API's direct-upload limit).</summary>
    public long DirectUploadLimit { get; init; } = SizeLimits.DirectUploadZippedBytes;

    /// <summary>Put the PackageSize metric of the stack's functions after a sync that changed something (off: --no-metrics).</summary>
    public bool Metrics { get; init; } = true;

    /// <summary>How long a function may take to settle after an update before sync gives up.</summary>
    public TimeSpan UpdateTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the AWS settings come from (the process's environment by default; tests give their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
