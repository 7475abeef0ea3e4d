using LambdaSlim.Aws;
using LambdaSlim.IO;
using LambdaSlim.Audit;
using LambdaSlim.Model;

namespace LambdaSlim.Validate;

/// <summary>
/// `lambdaslim audit LAYER_ARN`: the layer version is looked up as the build measures layers given by ARN
/// (GetLayerVersionByArn through the Lambda client, with the user's credentials and profile, in the ARN's region),
/// its zip downloaded from the presigned Content.Location into a temporary file in the user's cache folder, and audited
/// as a layer.
/// </summary>
public static class LayerDownload
{
    /// <param name="aws">--profile and --endpoint-url; the region is always the ARN's.</param>
    /// <param name="environment">Where the AWS settings come from (the process's environment by default).</param>
    public static async Task<ZipAuditResult> AuditAsync(string arn, PythonRuntime runtime, Architecture architecture, IBuildObserver observer,
        CancellationToken cancellationToken, AwsOptions? aws = null, Func<string, string?>? environment = null, ExternalLayerSizerLimits? limits = null)
    {
        if (!ExternalLayerSizer.IsLayerVersionArn(arn))
            throw LambdaSlimException.Input($"'{arn}' is not a layer version ARN", "give one like arn:aws:lambda:us-east-1:123456789012:layer:my-layer:3");
        limits ??= ExternalLayerSizerLimits.Default;
        // Beside the cache of layer sizes, the one folder outside a project LambdaSlim writes to.
        var cache = CacheFolder.Root;
        using var boundary = WriteBoundary.Allow(cache);
        WriteBoundary.CreateDirectory(cache);
        var temp = WriteBoundary.Check(Path.Combine(cache, $".layer-{Guid.NewGuid():N}.zip.tmp"));
        try
        {
            using (observer.Step($"Downloading {arn}"))
            {
                var location = await ExternalLayerSizer.LocateAsync(arn, aws ?? AwsOptions.Default, environment ?? Environment.GetEnvironmentVariable, limits, cancellationToken)
                    .ConfigureAwait(false);
                if (location.Url is not { } url)
                    throw new LambdaSlimException(location.Code, $"cannot look up {arn}: {location.Failure}",
                        "check the ARN, your credentials (--profile) and network, or download the layer's zip and audit the file");
                await DownloadAsync(arn, url, temp, limits, cancellationToken).ConfigureAwait(false);
            }
            return ZipAudit.RunOne(temp, arn, runtime, architecture, observer, isLayer: true);
        }
        finally
        {
            WriteBoundary.DeleteFile(temp);
        }
    }

    /// <summary>The whole zip, refused past the most a layer can be (its zip is smaller than its unzipped size).</summary>
    private static async Task DownloadAsync(string arn, Uri url, string target, ExternalLayerSizerLimits limits, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = limits.HttpConnect }) { Timeout = Timeout.InfiniteTimeSpan };
        using var download = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        download.CancelAfter(limits.HttpTotal);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, download.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(download.Token).ConfigureAwait(false);
            await using var file = File.Create(target);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await body.ReadAsync(buffer, download.Token).ConfigureAwait(false)) > 0)
            {
                if (file.Length + n > limits.MaxZipBytes)
                    throw LambdaSlimException.Input($"{arn} is over {Bytes.Exact(limits.MaxZipBytes)} zipped, more than a layer can be", "a layer this big cannot be deployed; not audited");
                await file.WriteAsync(buffer.AsMemory(0, n), download.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw LambdaSlimException.Tool($"downloading {arn} timed out", "check your network, or download the layer's zip and audit the file");
        }
        catch (HttpRequestException e)
        {
            throw LambdaSlimException.Tool($"downloading {arn} failed: {e.Message}", "check your network, or download the layer's zip and audit the file");
        }
    }
}
