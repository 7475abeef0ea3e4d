namespace LambdaSlim.Prune;

/// <summary>What happened to one file: stripped, nothing to strip, not ELF, or a layout neither tool could strip safely.</summary>
public enum StripOutcome { Stripped, AlreadyStripped, NotElf, Unsupported }

/// <summary>The outcome of stripping one file, its size before and after, the tool that decided, and why when it was not stripped by the pure path.</summary>
public sealed record StripResult(StripOutcome Outcome, long BytesBefore, long BytesAfter, string Tool, string? Reason);
