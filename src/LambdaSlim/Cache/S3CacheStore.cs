using System.Net;
using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LambdaSlim.IO;

namespace LambdaSlim.Cache;

/// <summary>
/// The cache in an S3 bucket: each entry is one object, <c>&lt;prefix&gt;/&lt;key&gt;</c>, with the sha256 of its
/// bytes in its metadata (<c>x-amz-meta-sha256</c>). A single PutObject replaces an object whole, so a reader sees
/// the old entry or the new one; the hash catches what was corrupted or cut short at rest. Credentials and region come
/// from the SDK's default chain; <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c> points it at another endpoint
/// (moto, LocalStack, MinIO), addressed path-style.
/// </summary>
public sealed class S3CacheStore : ICacheStore
{
    internal const string ShaMetadata = "sha256";

    private readonly CacheLocation.S3 _location;
    private readonly IBuildObserver _observer;
    private readonly AmazonS3Client? _client;
    private readonly Lock _lock = new();
    private bool _readOnlyWarned;

    public S3CacheStore(CacheLocation.S3 location, IBuildObserver observer, Func<string, string?> environment, S3CacheOptions options)
    {
        _location = location;
        _observer = observer;
        try
        {
            _client = CreateClient(environment, options);
        }
        catch (Exception e) when (e is AmazonClientException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            Unreachable(e);
        }
    }

    public CacheLocation Location => _location;
    public bool Readable { get; private set; } = true;
    public bool Writable { get; private set; } = true;

    public async Task<bool> TryGetAsync(CacheKey key, string destination, CancellationToken cancellationToken = default)
    {
        if (!Readable || _client is null) return false;
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _location.Bucket, Key = _location.ObjectKey(key) }, cancellationToken).ConfigureAwait(false);
            var expected = response.Metadata[ShaMetadata];
            string? actual = null;
            if (CacheHash.IsSha256(expected))
            {
                try
                {
                    await AtomicFile.WriteAsync(destination, async target =>
                    {
                        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                        var buffer = new byte[1 << 16];
                        int read;
                        while ((read = await response.ResponseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            hash.AppendData(buffer, 0, read);
                            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        }
                        actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                        if (actual != expected) throw new InvalidDataException(actual);
                    }, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (InvalidDataException) when (actual is not null && actual != expected)
                {
                }
            }
            _observer.Warn(expected is null || !CacheHash.IsSha256(expected)
                ? $"cache entry {key} in {_location} records no sha256 of its bytes: it is ignored and replaced by the next build"
                : $"cache entry {key} in {_location} is corrupted or partial (its bytes hash to {actual![..12]}, not {expected[..12]}): it is ignored and replaced by the next build");
            return false;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            return false;
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            Unreachable(e);
            return false;
        }
    }

    public async Task<bool> PutAsync(CacheKey key, string source, CancellationToken cancellationToken = default)
    {
        if (!Readable || !Writable || _client is null) return false;
        var sha = await CacheHash.OfFileAsync(source, cancellationToken).ConfigureAwait(false);
        try
        {
            var request = new PutObjectRequest
            {
                BucketName = _location.Bucket,
                Key = _location.ObjectKey(key),
                FilePath = source,
                ContentType = "application/octet-stream",
            };
            request.Metadata[ShaMetadata] = sha;
            await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            lock (_lock)
            {
                Writable = false;
                if (_readOnlyWarned) return false;
                _readOnlyWarned = true;
            }
            _observer.Warn($"the cache {_location} refused a write ({Why(e)}): it is read-only for this run");
            return false;
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            Unreachable(e);
            return false;
        }
    }

    public async Task<IReadOnlyList<CacheEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!Readable || _client is null) return [];
        var prefix = _location.Prefix.Length == 0 ? "" : _location.Prefix + "/";
        var entries = new List<CacheEntry>();
        try
        {
            var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = prefix };
            ListObjectsV2Response response;
            do
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                foreach (var o in response.S3Objects ?? [])
                    if (CacheKey.TryParse(o.Key[prefix.Length..], out var key))
                        entries.Add(new CacheEntry(key, o.Size ?? 0, new DateTimeOffset(DateTime.SpecifyKind(o.LastModified ?? DateTime.MinValue, DateTimeKind.Utc).ToUniversalTime(), TimeSpan.Zero)));
                request.ContinuationToken = response.NextContinuationToken;
            }
            while (response.IsTruncated == true);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            Unreachable(e);
            return [];
        }
        return [.. entries.OrderBy(e => e.Stored).ThenBy(e => e.Key.Value, StringComparer.Ordinal)];
    }

    public async Task<bool> DeleteAsync(CacheKey key, CancellationToken cancellationToken = default)
    {
        if (!Readable || !Writable || _client is null) return false;
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _location.Bucket, Key = _location.ObjectKey(key) }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            Unreachable(e);
            return false;
        }
    }

    public void Dispose() => _client?.Dispose();

    private static AmazonS3Client CreateClient(Func<string, string?> environment, S3CacheOptions options)
    {
        var config = new AmazonS3Config
        {
            ConnectTimeout = options.ConnectTimeout,
            Timeout = options.RequestTimeout,
            MaxErrorRetry = options.Retries,
            // The sha256 in the metadata is the integrity check that matters; S3-compatible servers differ on the rest.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            IgnoreConfiguredEndpointUrls = true,
        };
        var region = Value(environment, "AWS_REGION") ?? Value(environment, "AWS_DEFAULT_REGION");
        if ((Value(environment, "AWS_ENDPOINT_URL_S3") ?? Value(environment, "AWS_ENDPOINT_URL")) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null) config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);

        if (Value(environment, "AWS_ACCESS_KEY_ID") is { } accessKey && Value(environment, "AWS_SECRET_ACCESS_KEY") is { } secret)
            return new AmazonS3Client(Value(environment, "AWS_SESSION_TOKEN") is { } token
                ? new SessionAWSCredentials(accessKey, secret, token)
                : new BasicAWSCredentials(accessKey, secret), config);
        return new AmazonS3Client(config);
    }

    private static string? Value(Func<string, string?> environment, string name) => environment(name) is { Length: > 0 } v ? v : null;

    /// <summary>Anything but the caller's own cancellation and our write boundary refusing a path: those are not the store's doing.</summary>
    private static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) =>
        e is not LambdaSlimException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private void Unreachable(Exception e)
    {
        lock (_lock)
        {
            if (!Readable) return;
            Readable = false;
            Writable = false;
        }
        _observer.Warn($"the cache {_location} cannot be reached ({Why(e)}): building without it");
    }

    private static string Why(Exception e)
    {
        if (e is AmazonServiceException { ErrorCode: { Length: > 0 } code } service)
            return $"{code}: {FirstLine(service.Message)}";
        while (e.InnerException is not null && e is not HttpRequestException) e = e.InnerException;
        return FirstLine(e.Message);
    }

    /// <summary>The message's first sentence: the SDK's go on for lines.</summary>
    private static string FirstLine(string s)
    {
        var line = s.Split('\n')[0].Trim();
        var stop = line.IndexOf(". ", StringComparison.Ordinal);
        return (stop > 0 ? line[..stop] : line).TrimEnd('.', ':', ' ');
    }
}
