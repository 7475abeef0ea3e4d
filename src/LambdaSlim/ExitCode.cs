namespace LambdaSlim;

/// <summary>Exit codes are part of the CLI contract: CI gates on them. The README lists them.</summary>
public enum ExitCode
{
    Ok = 0,
    ValidationFailed = 1,
    Usage = 2,
    InputError = 3,
    ConfigError = 4,
    ExternalToolFailed = 5,
    NoCompatibleWheel = 6,
    IndexUnreachable = 7,
    Busy = 8,
    FileSystem = 9,

    /// <summary>AWS refused a request, could not be reached, or a deployment failed: not the build's fault, so CI can tell them apart.</summary>
    AwsFailed = 10,
    Cancelled = 130,
    Unhandled = 255,
}
