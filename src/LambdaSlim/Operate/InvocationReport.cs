using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LambdaSlim.Operate;

/// <summary>
/// What Lambda's REPORT line says about one invocation: its duration, billed duration, memory, and, on a cold start,
/// the init duration (the runtime starting and the handler's module being imported).
/// </summary>
public sealed partial record InvocationReport(string RequestId, double DurationMs, double BilledDurationMs, int MemorySizeMb, int MaxMemoryUsedMb, double? InitDurationMs)
{
    public bool ColdStart => InitDurationMs is not null;

    /// <summary>
    /// The report in a log message: the text format's <c>REPORT RequestId: … Duration: … ms</c> line, or the JSON
    /// format's <c>platform.report</c> record; null for any other message.
    /// </summary>
    public static InvocationReport? TryParse(string message)
    {
        var text = message.TrimStart();
        if (text.StartsWith("REPORT ", StringComparison.Ordinal))
        {
            var fields = Field().Matches(text).ToDictionary(m => m.Groups["name"].Value.Trim(), m => m.Groups["value"].Value, StringComparer.Ordinal);
            if (!fields.TryGetValue("Duration", out var duration)) return null;
            return new(RequestIdField().Match(text) is { Success: true } id ? id.Groups[1].Value : "",
                Number(duration), Number(fields.GetValueOrDefault("Billed Duration")), (int)Number(fields.GetValueOrDefault("Memory Size")),
                (int)Number(fields.GetValueOrDefault("Max Memory Used")),
                fields.TryGetValue("Init Duration", out var init) ? Number(init) : null);
        }
        if (text.StartsWith('{') && text.Contains("platform.report", StringComparison.Ordinal)) return FromJson(text);
        return null;
    }

    private static InvocationReport? FromJson(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (!root.TryGetProperty("type", out var type) || type.GetString() != "platform.report" || !root.TryGetProperty("record", out var record)) return null;
            if (!record.TryGetProperty("metrics", out var metrics)) return null;
            double? Metric(string name) => metrics.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            return new(record.TryGetProperty("requestId", out var id) ? id.GetString() ?? "" : "", Metric("durationMs") ?? 0, Metric("billedDurationMs") ?? 0,
                (int)(Metric("memorySizeMB") ?? 0), (int)(Metric("maxMemoryUsedMB") ?? 0), Metric("initDurationMs"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static double Number(string? text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;

    [GeneratedRegex(@"(?<name>[A-Za-z][A-Za-z ]*?):\s*(?<value>\d+(?:\.\d+)?)\s*(?:ms|MB)")]
    private static partial Regex Field();

    [GeneratedRegex(@"RequestId:\s*(\S+)")]
    private static partial Regex RequestIdField();
}
