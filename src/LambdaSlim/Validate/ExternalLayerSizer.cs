using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using LambdaSlim.Aws;
using LambdaSlim.IO;
using LambdaSlim.Model;

namespace LambdaSlim.Validate;

/// <summary>The unzipped size of a layer from outside the template, or why it could not be measured.</summary>
public sealed record ExternalLayerSize(string Arn, long? UnzippedBytes, string? Reason);

/// <summary>
/// Measures layers given by ARN: GetLayerVersionByArn (through <see cref="LambdaClient"/> on an <see cref="AwsSession"/>,
/// so the user's credential chain, timeouts and retries apply as for every AWS call, in the ARN's region) gives a
/// presigned Content.Location; the zip's central directory is read from it with range requests and the unzipped size
/// cached by ARN (a published layer version never changes). Without credentials or network the size stays unknown,
/// the totals are lower bounds, and a failure that cost a wait is remembered for a while.
/// A timeout is not a cancel: only the caller's token cancels.
/// </summary>
public static partial class ExternalLayerSizer
{
    [GeneratedRegex(@"^arn:aws[\w-]*:lambda:(?<region>[\w-]+):\d{12}:layer:[\w-]+:\d+$")]
    private static partial Regex LayerVersionArn();

    public static bool IsLayerVersionArn(string text) => LayerVersionArn().IsMatch(text);

    /// <summary>The region in a layer version ARN, e.g. eu-west-1; null when it is not one.</summary>
    public static string? RegionOf(string arn) => LayerVersionArn().Match(arn) is { Success: true } m ? m.Groups["region"].Value : null;

    public static string DefaultCache => Path.Combine(CacheFolder.Root, "external-layers.json");

    /// <param name="aws">--profile and --endpoint-url; the region is always the ARN's.</param>
    /// <param name="environment">Where the AWS settings come from (the process's environment by default).</param>
    public static async Task<ExternalLayerSize> MeasureAsync(string arn, string cacheFile, AwsOptions? aws = null, Func<string, string?>? environment = null,
        HttpClient? http = null, CancellationToken cancellationToken = default, ExternalLayerSizerLimits? limits = null)
    {
        limits ??= ExternalLayerSizerLimits.Default;
        if (!IsLayerVersionArn(arn)) return new(arn, null, "not a literal layer version ARN, so it cannot be looked up at build time");
        var cache = ExternalLayerCache.Load(cacheFile);
        if (cache.TryGetValue(arn, out var known))
        {
            if (known.UnzippedBytes is { } bytes) return new(arn, bytes, null);
            if (known.FailedAt is { } at && DateTimeOffset.UtcNow - at < limits.RememberFailure)
                return new(arn, null, $"{known.Failure} (cached failure from {Clock(at)}; retried after {Clock(at + limits.RememberFailure)})");
        }

        var (result, remember) = await MeasureUncachedAsync(arn, aws ?? AwsOptions.Default, environment ?? Environment.GetEnvironmentVariable, http, limits,
            Path.GetDirectoryName(Path.GetFullPath(cacheFile))!, cancellationToken).ConfigureAwait(false);
        if (result.UnzippedBytes is not null) cache[arn] = new(result.UnzippedBytes);
        else if (remember) cache[arn] = new(null, result.Reason, DateTimeOffset.UtcNow);
        else return result;
        await ExternalLayerCache.SaveAsync(cacheFile, cache, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// GetLayerVersionByArn in the ARN's region, bounded by <see cref="ExternalLayerSizerLimits.Lookup"/>: the zip's
    /// download URL, or one line saying why there is none (no credentials, access denied, no such version, unreachable).
    /// </summary>
    public static async Task<LayerLocation> LocateAsync(string arn, AwsOptions aws, Func<string, string?> environment, ExternalLayerSizerLimits limits,
        CancellationToken cancellationToken)
    {
        var region = RegionOf(arn) ?? throw new ArgumentException($"not a layer version ARN: {arn}", nameof(arn));
        using var lookup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lookup.CancelAfter(limits.Lookup);
        LayerVersionInfo? layer;
        try
        {
            // Opening the session resolves the credentials: an SSO or assume-role profile may call AWS already.
            var session = AwsSession.Open(aws with { Region = region }, environment);
            using var lambda = new LambdaClient(session);
            layer = await lambda.GetLayerVersionByArnAsync(arn, lookup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, $"GetLayerVersionByArn timed out after {Seconds(limits.Lookup)} s", true);
        }
        catch (LambdaSlimException e)
        {
            // An answer from AWS (denied, throttled, bad credentials) came at once; an endpoint that cannot be reached cost the retries.
            return new(null, e.Message, e.ExitCode == ExitCode.AwsFailed && e.InnerException is not AwsRequestException, e.ExitCode);
        }
        if (layer is null) return new(null, $"GetLayerVersionByArn found no layer version {arn} in {region}", false);
        return Uri.TryCreate(layer.Location, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? new(url, null, false)
            : new(null, "GetLayerVersionByArn gave no downloadable Content.Location", false);
    }

    /// <summary>The measurement, and whether a failure is worth remembering (it cost a wait: a timeout or no connection).</summary>
    private static async Task<(ExternalLayerSize Result, bool Remember)> MeasureUncachedAsync(string arn, AwsOptions aws, Func<string, string?> environment,
        HttpClient? http, ExternalLayerSizerLimits limits, string cacheDir, CancellationToken cancellationToken)
    {
        var location = await LocateAsync(arn, aws, environment, limits, cancellationToken).ConfigureAwait(false);
        if (location.Url is not { } url) return (new(arn, null, location.Failure), location.CostAWait);

        using var own = http is null ? new HttpClient(new SocketsHttpHandler { ConnectTimeout = limits.HttpConnect }) { Timeout = Timeout.InfiniteTimeSpan } : null;
        using var download = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        download.CancelAfter(limits.HttpTotal);
        try
        {
            var bytes = await UnzippedBytesAsync(http ?? own!, url, limits.MaxZipBytes, cacheDir, download.Token).ConfigureAwait(false);
            return (new(arn, bytes, null), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var what = download.IsCancellationRequested ? $"{Seconds(limits.HttpTotal)} s" : $"{Seconds(limits.HttpConnect)} s connecting";
            return (new(arn, null, $"downloading the layer timed out after {what}"), true);
        }
        catch (HttpRequestException e)
        {
            return (new(arn, null, $"downloading the layer failed: {e.Message}"), e.StatusCode is null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return (new(arn, null, $"reading the layer's zip failed: {e.Message}"), false);
        }
    }

    /// <summary>
    /// The zip's unzipped size from its central directory: its tail by a range request, then the directory if the tail
    /// does not hold it. A server that ignores ranges gets a full download, stopped at <paramref name="maxZipBytes"/>.
    /// </summary>
    private static async Task<long> UnzippedBytesAsync(HttpClient http, Uri url, long maxZipBytes, string cacheDir, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(null, ZipCentralDirectory.TailLength);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange is { Length: { } zipLength })
        {
            if (zipLength > maxZipBytes) throw TooBig(zipLength, maxZipBytes);
            var tail = await ReadCappedAsync(response.Content, ZipCentralDirectory.TailLength, cancellationToken).ConfigureAwait(false);
            return await ZipCentralDirectory.UnzippedBytesAsync(zipLength, tail, (offset, length, ct) => ReadRangeAsync(http, url, offset, length, ct), maxZipBytes, cancellationToken).ConfigureAwait(false);
        }
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength is { } announced && announced > maxZipBytes) throw TooBig(announced, maxZipBytes);
        // Beside the cache, the one folder outside the project LambdaSlim writes to.
        var temp = WriteBoundary.Check(Path.Combine(cacheDir, $".layer-{Guid.NewGuid():N}.zip.tmp"));
        Directory.CreateDirectory(cacheDir);
        try
        {
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            await using (var file = File.Create(temp))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (file.Length + n > maxZipBytes) throw TooBig(file.Length + n, maxZipBytes, atLeast: true);
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }
            }
            await using var zip = File.OpenRead(temp);
            var tailLength = (int)Math.Min(zip.Length, ZipCentralDirectory.TailLength);
            var tailBytes = await ReadFileRangeAsync(zip, zip.Length - tailLength, tailLength, cancellationToken).ConfigureAwait(false);
            return await ZipCentralDirectory.UnzippedBytesAsync(zip.Length, tailBytes, (offset, length, ct) => ReadFileRangeAsync(zip, offset, length, ct), maxZipBytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            WriteBoundary.DeleteFile(temp);
        }
    }

    private static async Task<byte[]> ReadRangeAsync(HttpClient http, Uri url, long offset, int length, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(offset, offset + length - 1);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != offset)
            throw new InvalidDataException($"the server answered a range request for the central directory with {(int)response.StatusCode}");
        var bytes = await ReadCappedAsync(response.Content, length, cancellationToken).ConfigureAwait(false);
        return bytes.Length == length ? bytes : throw new InvalidDataException($"the server sent {bytes.Length} of {length} bytes of the central directory");
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, int max, CancellationToken cancellationToken)
    {
        await using var body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[max];
        var read = 0;
        int n;
        while (read < max && (n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0) read += n;
        return read == max ? buffer : buffer[..read];
    }

    private static async Task<byte[]> ReadFileRangeAsync(FileStream file, long offset, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        file.Position = offset;
        await file.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    private static InvalidDataException TooBig(long bytes, long max, bool atLeast = false) => new(
        $"the layer's zip is {(atLeast ? "over " : "")}{Bytes.Exact(bytes)}, more than a layer can be ({Bytes.Exact(max)} unzipped); not downloaded");

    private static string Seconds(TimeSpan t) => Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static string Clock(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);
}
