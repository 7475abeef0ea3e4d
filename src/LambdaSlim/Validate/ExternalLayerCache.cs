using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LambdaSlim.IO;

namespace LambdaSlim.Validate;

/// <summary>What is known about one layer version: its unzipped size, or why measuring it failed and when.</summary>
public sealed record ExternalLayerCacheEntry(long? UnzippedBytes, string? Failure = null, DateTimeOffset? FailedAt = null);

/// <summary>
/// The user's cache of external layer sizes, by ARN (a published layer version never changes), and of recent
/// failures, so a build does not wait on an unreachable endpoint again. A cache file that cannot be read, or an
/// entry that makes no sense (a negative size), counts as missing: the cache only ever saves time.
/// </summary>
public static class ExternalLayerCache
{
    public const int Version = 2;

    public static Dictionary<string, ExternalLayerCacheEntry> Load(string file)
    {
        var entries = new Dictionary<string, ExternalLayerCacheEntry>(StringComparer.Ordinal);
        JsonNode? root;
        try
        {
            if (!File.Exists(file)) return entries;
            root = JsonNode.Parse(File.ReadAllText(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ArgumentException)
        {
            return entries;
        }
        if (root is not JsonObject top) return entries;
        if (!top.ContainsKey("version"))
        {
            // Version 1: { "<arn>": <unzipped bytes> }.
            foreach (var (arn, value) in top)
                if (Number(value) is >= 0 and var bytes) entries[arn] = new(bytes);
            return entries;
        }
        if (Number(top["version"]) != Version || top["layers"] is not JsonObject layers) return entries;
        foreach (var (arn, value) in layers)
        {
            if (value is not JsonObject entry) continue;
            if (Number(entry["unzippedBytes"]) is >= 0 and var bytes) entries[arn] = new(bytes);
            else if (Text(entry["failure"]) is { } failure
                && DateTimeOffset.TryParse(Text(entry["failedAt"]), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
                entries[arn] = new(null, failure, at);
        }
        return entries;
    }

    /// <summary>Writes the cache; a cache that cannot be written is skipped (the next build measures again).</summary>
    public static async Task SaveAsync(string file, IReadOnlyDictionary<string, ExternalLayerCacheEntry> entries, CancellationToken cancellationToken)
    {
        var layers = new JsonObject();
        foreach (var (arn, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            layers[arn] = entry.UnzippedBytes is { } bytes
                ? new JsonObject { ["unzippedBytes"] = bytes }
                : new JsonObject { ["failure"] = entry.Failure, ["failedAt"] = entry.FailedAt?.ToString("o", CultureInfo.InvariantCulture) };
        var text = new JsonObject { ["version"] = Version, ["layers"] = layers }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        try
        {
            await AtomicFile.WriteAllTextAsync(file, text + "\n", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the cache only saves time.
        }
    }

    private static long? Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) ? n
        : node is JsonValue w && w.TryGetValue<long>(out var m) ? m : null;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
