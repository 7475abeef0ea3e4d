using System.Text.RegularExpressions;
using LambdaSlim.Aws;

namespace LambdaSlim.Operate;

/// <summary>One event of a function's log group, classified, with its REPORT parsed when it is one.</summary>
public sealed partial record FunctionLogEvent(LogEvent Event, LogLineKind Kind, InvocationReport? Report)
{
    public static FunctionLogEvent From(LogEvent e)
    {
        if (InvocationReport.TryParse(e.Message) is { } report) return new(e, LogLineKind.Report, report);
        return new(e, KindOf(e.Message), null);
    }

    /// <summary>
    /// Errors as Lambda's Python runtime and the logging module write them: "[ERROR]" (and Lambda's own errorType
    /// records), a traceback, a timeout, a runtime that exited, the word ERROR or a JSON record at level ERROR.
    /// </summary>
    public static LogLineKind KindOf(string message)
    {
        if (ErrorPattern().IsMatch(message)) return LogLineKind.Error;
        var text = message.TrimStart();
        if (text.StartsWith("START RequestId:", StringComparison.Ordinal) || text.StartsWith("END RequestId:", StringComparison.Ordinal)
            || text.StartsWith("INIT_START ", StringComparison.Ordinal) || (text.StartsWith("{\"time\"", StringComparison.Ordinal) && text.Contains("\"type\":\"platform.", StringComparison.Ordinal)))
            return LogLineKind.Platform;
        return LogLineKind.Message;
    }

    [GeneratedRegex(@"\[ERROR\]|\bERROR\b|Traceback \(most recent call last\)|Task timed out|Runtime exited|Runtime\.\w+Error|""level""\s*:\s*""(?:ERROR|CRITICAL)""|""errorType""\s*:")]
    private static partial Regex ErrorPattern();
}
