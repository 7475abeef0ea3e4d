namespace LambdaSlim.Aws;

/// <summary>
/// Decides, from the stack events seen so far, what to print, whether the stack is done, and why it failed. A pure
/// function: the poller feeds it what DescribeStackEvents returned (newest first, pages overlapping), the IDs it has
/// printed, and where the operation began; recorded event sequences replay through it in tests.
/// </summary>
public static class StackEventMonitor
{
    /// <summary>Statuses the stack stays in until someone acts. The failures among them end a deploy that failed.</summary>
    private static readonly HashSet<string> Terminal = new(StringComparer.Ordinal)
    {
        "CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE", "DELETE_COMPLETE",
        "CREATE_FAILED", "DELETE_FAILED", "UPDATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED",
        "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED", "IMPORT_ROLLBACK_COMPLETE", "IMPORT_ROLLBACK_FAILED",
    };

    private static readonly HashSet<string> Success = new(StringComparer.Ordinal)
    {
        "CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE", "DELETE_COMPLETE",
    };

    /// <summary>
    /// Reasons of resources that failed only because another one did: CloudFormation cancels the rest of the
    /// operation when one resource fails. They are not the cause.
    /// </summary>
    private static readonly string[] Noise =
    [
        "Resource creation cancelled", "Resource update cancelled", "Resource deletion cancelled",
    ];

    /// <param name="events">Everything fetched so far, in any order, duplicates allowed.</param>
    /// <param name="printed">Event IDs already printed.</param>
    /// <param name="after">The operation began after this moment (the newest event before it, by CloudFormation's clock): older events are history.</param>
    public static StackProgress Observe(IEnumerable<StackEvent> events, IReadOnlySet<string> printed, DateTimeOffset? after = null)
    {
        // CloudFormation's event IDs are unique; the timestamp orders them, the ID breaks ties the same way every time.
        var ours = events.Where(e => after is null || e.Timestamp > after)
            .DistinctBy(e => e.EventId)
            .OrderBy(e => e.Timestamp).ThenBy(e => e.EventId, StringComparer.Ordinal)
            .ToList();
        var newEvents = ours.Where(e => !printed.Contains(e.EventId)).ToList();
        var last = ours.LastOrDefault(e => e.IsStackEvent);
        var terminal = last is not null && Terminal.Contains(last.ResourceStatus);
        var succeeded = terminal && Success.Contains(last!.ResourceStatus);
        var causes = terminal && !succeeded ? RootCauses(ours) : [];
        return new(newEvents, terminal, succeeded, last?.ResourceStatus, causes);
    }

    /// <summary>
    /// The resources' FAILED events with a reason that is not noise, in time order, up to the moment the rollback began
    /// (what fails while rolling back follows from them); the stack's own failure summary only when no resource says
    /// more (a template error fails the stack itself).
    /// </summary>
    public static IReadOnlyList<StackEvent> RootCauses(IReadOnlyList<StackEvent> events)
    {
        var rollback = events.FirstOrDefault(e => e.IsStackEvent && e.ResourceStatus.EndsWith("ROLLBACK_IN_PROGRESS", StringComparison.Ordinal));
        var failures = events.Where(e => e.IsFailure && !IsNoise(e.ResourceStatusReason) && (rollback is null || e.Timestamp <= rollback.Timestamp)).ToList();
        var resources = failures.Where(e => !e.IsStackEvent).ToList();
        return resources.Count > 0 ? resources : failures.Take(1).ToList();
    }

    private static bool IsNoise(string? reason) =>
        string.IsNullOrWhiteSpace(reason) || Noise.Any(n => reason.Contains(n, StringComparison.OrdinalIgnoreCase));
}
