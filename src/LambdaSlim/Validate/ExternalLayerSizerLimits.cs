using System.Net;
using System.Net.Http.Headers;

namespace LambdaSlim.Validate;

/// <summary>How long measuring an external layer may take, how much it may download, and how long a failure is remembered.</summary>
public sealed record ExternalLayerSizerLimits
{
    /// <summary>The AWS CLI's own connect and read timeouts (whole seconds, as the CLI takes them).</summary>
    public TimeSpan CliConnect { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan CliRead { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The whole CLI call, retries included; the CLI is killed after it.</summary>
    public TimeSpan CliTotal { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan HttpConnect { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>All reads of the layer's zip together.</summary>
    public TimeSpan HttpTotal { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A layer is at most this big unzipped, so its zip is smaller: nothing bigger is downloaded.</summary>
    public long MaxZipBytes { get; init; } = SizeLimits.TotalUnzippedBytes;

    public TimeSpan RememberFailure { get; init; } = TimeSpan.FromHours(1);

    public static ExternalLayerSizerLimits Default { get; } = new();
}
