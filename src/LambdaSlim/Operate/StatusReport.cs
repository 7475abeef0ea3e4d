using LambdaSlim.Aws;

namespace LambdaSlim.Operate;

/// <summary>A stack's state, its latest events (oldest first), and each function's code against the local build.</summary>
/// <param name="SeenEventIds">Every event ID read, so that following the stack prints only what comes after.</param>
public sealed record StatusReport(StackDescription Stack, IReadOnlyList<StackEvent> Events, IReadOnlyList<StatusFunction> Functions, IReadOnlySet<string> SeenEventIds, bool Settled)
{
    public bool AnyDrift => Functions.Any(f => f.Drifted);
}
