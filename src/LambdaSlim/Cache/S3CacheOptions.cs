namespace LambdaSlim.Cache;

/// <summary>
/// How long the S3 store waits. Short connects, so a dead endpoint costs seconds, not minutes; a request may take
/// longer, as a layer's zip is up to 250 MB.
/// </summary>
public sealed record S3CacheOptions(TimeSpan ConnectTimeout, TimeSpan RequestTimeout, int Retries)
{
    public static readonly S3CacheOptions Default = new(TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(5), Retries: 1);
}
