namespace LambdaSlim.Prune;

/// <summary>Why the pure path stops: not an ELF file, nothing to strip, or a layout it will not touch.</summary>
internal sealed record StripRejection(StripOutcome Outcome, string Reason)
{
    public static StripRejection Unsupported(string reason) => new(StripOutcome.Unsupported, reason);
}
