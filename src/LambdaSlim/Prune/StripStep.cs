namespace LambdaSlim.Prune;

/// <summary>What one step of the pure stripper produced, or why it stopped. Malformed or unusual input is a result, not an exception.</summary>
internal sealed record StripStep<T>(T? Value, StripRejection? Rejection) where T : class
{
    public static StripStep<T> Ok(T value) => new(value, null);
    public static StripStep<T> Reject(StripOutcome outcome, string reason) => new(null, new StripRejection(outcome, reason));
    public static StripStep<T> Unsupported(string reason) => new(null, StripRejection.Unsupported(reason));
    public static implicit operator StripStep<T>(StripRejection rejection) => new(null, rejection);
}
