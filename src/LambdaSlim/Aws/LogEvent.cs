namespace LambdaSlim.Aws;

/// <summary>One event of FilterLogEvents.</summary>
public sealed record LogEvent(string EventId, string LogStreamName, DateTimeOffset Timestamp, string Message);
