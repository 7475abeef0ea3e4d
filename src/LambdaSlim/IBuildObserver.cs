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

public interface IProgressStep : IDisposable
{
    void Report(long done, string? status = null);
    void Status(string status);
}

/// <summary>Keeps everything said, for tests and for callers that print afterwards.</summary>
public sealed class RecordingObserver : IBuildObserver
{
    private readonly List<string> _infos = [];
    private readonly List<string> _warnings = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<string> Infos { get { lock (_lock) return _infos.ToList(); } }
    public IReadOnlyList<string> Warnings { get { lock (_lock) return _warnings.ToList(); } }

    public void Info(string message) { lock (_lock) _infos.Add(message); }
    public void Warn(string message) { lock (_lock) _warnings.Add(message); }
    public IProgressStep Step(string name, long? total = null) { Info(name); return new NoProgress(); }

    private sealed class NoProgress : IProgressStep
    {
        public void Report(long done, string? status = null) { }
        public void Status(string status) { }
        public void Dispose() { }
    }
}
