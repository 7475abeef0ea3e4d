using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using LambdaSlim.IO;

namespace LambdaSlim.Validate;

/// <summary>The unzipped size of a layer from outside the template, or why it could not be measured.</summary>
public sealed record ExternalLayerSize(string Arn, long? UnzippedBytes, string? Reason);

/// <summary>
/// Measures layers given by ARN: GetLayerVersionByArn (through the AWS CLI, so the user's own credentials, profile
/// and region apply) gives a presigned Content.Location; the layer is downloaded once and its unzipped size cached by
/// ARN (a published layer version never changes). Without credentials the size stays unknown and totals are lower bounds.
/// </summary>
public static partial class ExternalLayerSizer
{
    [GeneratedRegex(@"^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:layer:[\w-]+:\d+$")]
    private static partial Regex LayerVersionArn();

    public static bool IsLayerVersionArn(string text) => LayerVersionArn().IsMatch(text);

    public static string DefaultCache => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "lambdaslim", "external-layers.json");

    public static async Task<ExternalLayerSize> MeasureAsync(string arn, string cacheFile, string awsCli = "aws", HttpClient? http = null,
        IReadOnlyDictionary<string, string?>? awsEnvironment = null, CancellationToken cancellationToken = default)
    {
        if (!IsLayerVersionArn(arn)) return new(arn, null, "not a literal layer version ARN, so it cannot be looked up at build time");
        var cache = LoadCache(cacheFile);
        if (cache.TryGetValue(arn, out var known)) return new(arn, known, null);

        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(awsCli, ["lambda", "get-layer-version-by-arn", "--arn", arn, "--output", "json"],
                environment: awsEnvironment, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return new(arn, null, "the AWS CLI is not installed");
        }
        if (result.ExitCode != 0)
            return new(arn, null, $"GetLayerVersionByArn failed: {result.StdErr.Trim().Split('\n')[^1]}");
        string? location;
        try { location = JsonDocument.Parse(result.StdOut).RootElement.GetProperty("Content").GetProperty("Location").GetString(); }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { location = null; }
        if (location is null || !location.StartsWith("http", StringComparison.Ordinal))
            return new(arn, null, "GetLayerVersionByArn gave no downloadable Content.Location");

        var temp = Path.Combine(Path.GetTempPath(), $"lambdaslim-layer-{Guid.NewGuid():N}.zip");
        try
        {
            var client = http ?? new HttpClient();
            await using (var body = await client.GetStreamAsync(new Uri(location), cancellationToken).ConfigureAwait(false))
            await using (var file = File.Create(temp))
                await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            long unzipped;
            using (var zip = ZipFile.OpenRead(temp)) unzipped = zip.Entries.Sum(e => e.Length);
            cache[arn] = unzipped;
            await AtomicFile.WriteAllTextAsync(cacheFile, JsonSerializer.Serialize(cache), cancellationToken).ConfigureAwait(false);
            return new(arn, unzipped, null);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidDataException or IOException)
        {
            return new(arn, null, $"downloading the layer failed: {e.Message}");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static Dictionary<string, long> LoadCache(string file)
    {
        try { return File.Exists(file) ? JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(file)) ?? [] : []; }
        catch (JsonException) { return []; }
    }
}
