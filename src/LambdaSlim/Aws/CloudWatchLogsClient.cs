using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LambdaSlim.Aws;

/// <summary>
/// The CloudWatch Logs API (AWS JSON 1.1: a POST with X-Amz-Target Logs_20140328.&lt;Operation&gt;), for reading a
/// function's log group. Errors come out as <see cref="LambdaSlimException"/>s, except a log group that does not
/// exist, which is <c>null</c>.
/// </summary>
public sealed class CloudWatchLogsClient(AwsSession session) : IDisposable
{
    private const string TargetPrefix = "Logs_20140328.";
    private readonly AwsHttpSender _sender = session.Sender("logs", "CLOUDWATCH_LOGS", "logs");

    /// <summary>
    /// The group's events from <paramref name="start"/> on (inclusive), oldest first, every page, up to
    /// <paramref name="maxEvents"/>; <c>null</c> when the group does not exist.
    /// </summary>
    /// <param name="filterPattern">A CloudWatch Logs filter pattern (ERROR, "Task timed out", …), or null for every event.</param>
    public async Task<IReadOnlyList<LogEvent>?> FilterLogEventsAsync(string logGroupName, DateTimeOffset start, DateTimeOffset? end, string? filterPattern,
        int maxEvents, CancellationToken cancellationToken = default)
    {
        var events = new List<LogEvent>();
        string? next = null;
        do
        {
            var request = new JsonObject
            {
                ["logGroupName"] = logGroupName,
                ["startTime"] = start.ToUnixTimeMilliseconds(),
                ["limit"] = Math.Clamp(maxEvents - events.Count, 1, 10_000),
            };
            if (end is { } until) request["endTime"] = until.ToUnixTimeMilliseconds();
            if (!string.IsNullOrEmpty(filterPattern)) request["filterPattern"] = filterPattern;
            if (next is not null) request["nextToken"] = next;
            using var json = await CallAsync("FilterLogEvents", request, cancellationToken).ConfigureAwait(false);
            if (json is null) return null;
            if (json.RootElement.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in list.EnumerateArray())
                {
                    events.Add(new(String(e, "eventId") ?? "", String(e, "logStreamName") ?? "",
                        DateTimeOffset.FromUnixTimeMilliseconds(e.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : 0),
                        String(e, "message") ?? ""));
                }
            }
            next = String(json.RootElement, "nextToken");
        }
        while (next is not null && events.Count < maxEvents);
        // Emulators do not always interleave the streams; the caller reads them in time order.
        return [.. events.OrderBy(e => e.Timestamp).ThenBy(e => e.EventId, StringComparer.Ordinal).Take(maxEvents)];
    }

    private async Task<JsonDocument?> CallAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        var body = request.ToJsonString();
        try
        {
            var answer = await _sender.SendAsync(operation, () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, _sender.Endpoint)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1"),
                };
                message.Content.Headers.ContentType!.CharSet = null;
                message.Headers.Add("X-Amz-Target", TargetPrefix + operation);
                return message;
            }, cancellationToken).ConfigureAwait(false);
            return JsonDocument.Parse(answer);
        }
        catch (AwsRequestException e) when (e.Code == "ResourceNotFoundException")
        {
            return null;
        }
        catch (AwsRequestException e)
        {
            throw session.Explain(e);
        }
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    public void Dispose() => _sender.Dispose();
}
