namespace LambdaSlim;

/// <summary>
/// The one error type a user sees: a one-line message that says what is wrong and how to fix it,
/// carrying the exit code. Everything else is a bug and maps to <see cref="ExitCode.Unhandled"/>.
/// </summary>
public sealed class LambdaSlimException(ExitCode exitCode, string message, string? hint = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ExitCode ExitCode { get; } = exitCode;

    /// <summary>What to do about it, phrased as an instruction.</summary>
    public string? Hint { get; } = hint;

    /// <summary>A tool's full output (pip's, say), shown with --verbose instead of a stack trace.</summary>
    public string? Details { get; init; }

    public string OneLine => Hint is null ? Message : $"{Message}: {Hint}";

    public static LambdaSlimException Input(string message, string? hint = null) => new(ExitCode.InputError, message, hint);
    public static LambdaSlimException Config(string message, string? hint = null) => new(ExitCode.ConfigError, message, hint);
    public static LambdaSlimException Tool(string message, string? hint = null) => new(ExitCode.ExternalToolFailed, message, hint);
}
