namespace LambdaSlim.Aws;

/// <summary>
/// What the user chose for talking to AWS (<c>--profile</c>, <c>--region</c>, <c>--endpoint-url</c>), and how long and
/// how often a call may try. Short connects, so a dead endpoint costs seconds; retries are bounded.
/// </summary>
public sealed record AwsOptions
{
    /// <summary>A profile of the shared config and credentials files; when set it wins over the environment's keys, as in the AWS CLI.</summary>
    public string? Profile { get; init; }

    public string? Region { get; init; }

    /// <summary>One endpoint for every service (moto, LocalStack). S3 is then addressed path-style.</summary>
    public string? EndpointUrl { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts per call, the first included, for throttling, 5xx answers and dropped connections.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The backoff before retry n is a random delay up to <c>min(RetryMaxDelay, RetryBaseDelay · 2ⁿ)</c> (full jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    public static AwsOptions Default { get; } = new();
}
