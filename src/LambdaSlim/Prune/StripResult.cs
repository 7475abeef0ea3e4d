namespace LambdaSlim.Prune;

public enum StripOutcome { Stripped, AlreadyStripped, NotElf, Unsupported }

public sealed record StripResult(StripOutcome Outcome, long BytesBefore, long BytesAfter, string Tool, string? Reason);
