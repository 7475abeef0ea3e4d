using System.Text.Json;
using LambdaSlim.IO;
using LambdaSlim.Audit;
using LambdaSlim.Model;

namespace LambdaSlim.Validate;

/// <summary>
/// `lambdaslim audit LAYER_ARN`: the layer version is looked up as the build measures layers given by ARN
/// (GetLayerVersionByArn through the AWS CLI, so the user's credentials and profile apply, in the ARN's region),
/// its zip downloaded from the presigned Content.Location into a temporary file in the user's cache folder, and audited
/// as a layer.
/// </summary>
public static class LayerDownload
{
    public static async Task<ZipAuditResult> AuditAsync(string arn, PythonRuntime runtime, Architecture architecture, IBuildObserver observer,
        CancellationToken cancellationToken, string? awsCli = null, ExternalLayerSizerLimits? limits = null)
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
                var location = await LocationAsync(arn, awsCli ?? Environment.GetEnvironmentVariable("LAMBDASLIM_AWS_CLI") ?? "aws", limits, cancellationToken).ConfigureAwait(false);
                await DownloadAsync(arn, location, temp, limits, cancellationToken).ConfigureAwait(false);
            }
            return ZipAudit.RunOne(temp, arn, runtime, architecture, observer, isLayer: true);
        }
        finally
        {
            WriteBoundary.DeleteFile(temp);
        }
    }

    private static async Task<Uri> LocationAsync(string arn, string awsCli, ExternalLayerSizerLimits limits, CancellationToken cancellationToken)
    {
        ProcessResult result;
        using (var cli = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            cli.CancelAfter(limits.CliTotal);
            try
            {
                result = await ProcessRunner.RunAsync(awsCli, ExternalLayerSizer.CliArguments(arn, limits), cancellationToken: cli.Token).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                throw LambdaSlimException.Tool($"cannot look up {arn}: the AWS CLI ({awsCli}) is not installed", "install the AWS CLI, or download the layer's zip and audit the file");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw LambdaSlimException.Tool($"GetLayerVersionByArn for {arn} timed out", "check your network, or download the layer's zip and audit the file");
            }
        }
        if (result.ExitCode != 0)
        {
            var error = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {result.ExitCode}";
            throw LambdaSlimException.Tool($"GetLayerVersionByArn for {arn} failed: {error}", "check the ARN and that your AWS credentials may call lambda:GetLayerVersion");
        }
        string? location;
        try { location = JsonDocument.Parse(result.StdOut).RootElement.GetProperty("Content").GetProperty("Location").GetString(); }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { location = null; }
        if (location is null || !Uri.TryCreate(location, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw LambdaSlimException.Tool($"GetLayerVersionByArn for {arn} gave no downloadable Content.Location", "download the layer's zip and audit the file");
        return url;
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
