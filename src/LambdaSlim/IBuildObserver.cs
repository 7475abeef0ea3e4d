namespace LambdaSlim;

/// <summary>
/// How the engine tells its front end what is happening. The CLI draws progress bars on a terminal
/// and plain lines when redirected; tests record what was said.
/// </summary>
public interface IBuildObserver
{
    void Info(string message);
    void Warn(string message);

    /// <summary>Starts a long step. <paramref name="total"/> is in the step's own unit (bytes, files) when known.</summary>
    IProgressStep Step(string name, long? total = null);
}

