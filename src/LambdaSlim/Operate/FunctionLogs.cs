using LambdaSlim.Aws;

namespace LambdaSlim.Operate;

/// <summary>
/// A deployed function's CloudWatch Logs group (/aws/lambda/NAME), read once or followed: `lambdaslim logs`.
/// </summary>
public sealed class FunctionLogs : IDisposable
{
    /// <summary>
    /// How far back each --tail poll looks again: CloudWatch Logs makes an event readable a few seconds after its
    /// timestamp, so an event stamped just before the newest one seen can still arrive; its ID tells it was not shown.
    /// </summary>
    public static readonly TimeSpan TailOverlap = TimeSpan.FromSeconds(30);

    private readonly CloudWatchLogsClient _logs;
    private readonly LogsRequest _request;

    private FunctionLogs(CloudWatchLogsClient logs, LogsRequest request, string physicalName, string? logicalId, string region)
    {
        _logs = logs;
        _request = request;
        PhysicalName = physicalName;
        LogicalId = logicalId;
        Region = region;
    }

    /// <summary>The function's name in Lambda.</summary>
    public string PhysicalName { get; }

    /// <summary>Its logical ID in the stack's template; null when it was named without a stack.</summary>
    public string? LogicalId { get; }

    public string Region { get; }

    public string LogGroup => LogGroupOf(PhysicalName);

    public static string LogGroupOf(string functionName) => $"/aws/lambda/{functionName}";

    /// <summary>Opens a session and finds the function: in the stack when one is named, else by the name given.</summary>
    public static async Task<FunctionLogs> OpenAsync(LogsRequest request, CancellationToken cancellationToken = default)
    {
        var session = AwsSession.Open(request.Aws, request.Environment);
        string physical = request.Function;
        string? logical = null;
        if (request.StackName is { } stack)
        {
            using var cloudFormation = new CloudFormationClient(session);
            StackFunction found;
            try
            {
                found = await StackResourceLookup.For(cloudFormation).FunctionAsync(stack, request.Function, cancellationToken).ConfigureAwait(false);
            }
            catch (LambdaSlimException e) when (e.InnerException is AwsRequestException { Code: "ValidationError" } refused && refused.AwsMessage.Contains("does not exist", StringComparison.Ordinal))
            {
                throw LambdaSlimException.Input($"there is no stack {stack} in {session.Region}", "check --stack-name and --region");
            }
            (physical, logical) = (found.PhysicalName, found.LogicalId);
        }
        return new(new CloudWatchLogsClient(session), request, physical, logical, session.Region);
    }

    /// <summary>The events from <paramref name="since"/> on, oldest first, up to <see cref="LogsRequest.MaxEvents"/>.</summary>
    /// <param name="filterPattern">A CloudWatch Logs filter pattern, or null for every event.</param>
    public async Task<IReadOnlyList<FunctionLogEvent>> ReadAsync(DateTimeOffset since, string? filterPattern, CancellationToken cancellationToken = default)
    {
        var events = await _logs.FilterLogEventsAsync(LogGroup, since, null, filterPattern, _request.MaxEvents, cancellationToken).ConfigureAwait(false)
            ?? throw LambdaSlimException.Input($"function {PhysicalName} has no log group {LogGroup} in {Region}",
                "it has not been invoked yet, or it logs to another group (LoggingConfig); check the name and --region");
        return [.. events.Select(FunctionLogEvent.From)];
    }

    /// <summary>The REPORT lines from <paramref name="since"/> on: every invocation's duration and memory, and the cold starts' init durations.</summary>
    public async Task<IReadOnlyList<InvocationReport>> ReportsAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        // The text format's REPORT lines and the JSON format's platform.report records, and nothing else.
        var events = await ReadAsync(since, "?REPORT ?\"platform.report\"", cancellationToken).ConfigureAwait(false);
        return [.. events.Select(e => e.Report).OfType<InvocationReport>()];
    }

    /// <summary>
    /// Shows the events from <paramref name="since"/> on, then every new one as it arrives, until cancelled. A log
    /// group that does not exist yet is waited for.
    /// </summary>
    /// <param name="waiting">Called once when the log group does not exist yet.</param>
    public async Task TailAsync(DateTimeOffset since, string? filterPattern, Action<FunctionLogEvent> show, Action? waiting, CancellationToken cancellationToken)
    {
        var shown = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var newest = since;
        var toldWaiting = false;
        while (true)
        {
            var from = newest - TailOverlap < since ? since : newest - TailOverlap;
            var events = await _logs.FilterLogEventsAsync(LogGroup, from, null, filterPattern, _request.MaxEvents, cancellationToken).ConfigureAwait(false);
            if (events is null && !toldWaiting)
            {
                waiting?.Invoke();
                toldWaiting = true;
            }
            foreach (var e in events ?? [])
            {
                if (!shown.TryAdd(e.EventId, e.Timestamp)) continue;
                show(FunctionLogEvent.From(e));
                if (e.Timestamp > newest) newest = e.Timestamp;
            }
            // Only the IDs a later poll can see again are worth keeping.
            foreach (var old in shown.Where(s => s.Value < newest - TailOverlap).Select(s => s.Key).ToList()) shown.Remove(old);
            await Task.Delay(_request.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _logs.Dispose();
}
