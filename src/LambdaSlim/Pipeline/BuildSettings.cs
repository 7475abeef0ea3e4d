using LambdaSlim.Install;
using LambdaSlim.Package;

namespace LambdaSlim.Pipeline;

public sealed record BuildSettings
{
    public PipOptions Pip { get; init; } = new();
    public ZipCompression Compression { get; init; } = ZipCompression.Optimal;

    /// <summary>Reinstall even when the cached install has the same inputs.</summary>
    public bool ForceInstall { get; init; }

    /// <summary>A symbolic link that leads out of its CodeUri or ContentUri fails the build instead of being skipped with a warning.</summary>
    public bool StrictLinks { get; init; }

    /// <summary>Interpreters to use for a Python version (--python-for 3.14=PATH), before searching PATH, pyenv and uv.</summary>
    public IReadOnlyDictionary<string, string> PythonFor { get; init; } = new Dictionary<string, string>();
}
