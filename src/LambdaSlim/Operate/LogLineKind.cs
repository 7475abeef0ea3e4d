namespace LambdaSlim.Operate;

/// <summary>What a line of a function's log is, for how `lambdaslim logs` shows it.</summary>
public enum LogLineKind
{
    /// <summary>What the handler printed or logged.</summary>
    Message,

    /// <summary>An error: a traceback, an [ERROR] or ERROR line, a timeout, a crashed runtime.</summary>
    Error,

    /// <summary>Lambda's START and END lines and other platform records: the frame around an invocation.</summary>
    Platform,

    /// <summary>Lambda's REPORT line: duration, memory and, on a cold start, the init duration.</summary>
    Report,
}
