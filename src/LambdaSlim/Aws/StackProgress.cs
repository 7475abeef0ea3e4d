namespace LambdaSlim.Aws;

/// <summary>What the monitor makes of the events seen so far.</summary>
/// <param name="NewEvents">Events not printed before, oldest first: print these.</param>
/// <param name="Terminal">The stack reached a state it will not leave on its own: stop polling.</param>
/// <param name="Succeeded">The terminal state is the one the operation wanted (CREATE_COMPLETE, UPDATE_COMPLETE, ...).</param>
/// <param name="FinalStatus">The stack's last status seen, terminal or not; <c>null</c> before its first event.</param>
/// <param name="RootCauses">On failure, the first FAILED events with their reasons, in time order, without the cancellation noise.</param>
public sealed record StackProgress(
    IReadOnlyList<StackEvent> NewEvents, bool Terminal, bool Succeeded, string? FinalStatus, IReadOnlyList<StackEvent> RootCauses);
