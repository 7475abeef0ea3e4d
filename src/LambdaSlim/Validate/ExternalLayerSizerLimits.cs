using System.Net;
using System.Net.Http.Headers;

namespace LambdaSlim.Validate;

/// <summary>How long measuring an external layer may take, how much it may download, and how long a failure is remembered.</summary>
public sealed record ExternalLayerSizerLimits
{
    /// <summary>
    /// The whole GetLayerVersionByArn call, retries included; the call itself has the session's connect timeout,
    /// request timeout and retries, as every AWS call does.
    /// </summary>
    public TimeSpan Lookup { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan HttpConnect { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>All reads of the layer's zip together.</summary>
    public TimeSpan HttpTotal { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A layer is at most this big unzipped, so its zip is smaller: nothing bigger is downloaded.</summary>
    public long MaxZipBytes { get; init; } = SizeLimits.TotalUnzippedBytes;

    public TimeSpan RememberFailure { get; init; } = TimeSpan.FromHours(1);

    public static ExternalLayerSizerLimits Default { get; } = new();
}
