namespace LambdaSlim;

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
