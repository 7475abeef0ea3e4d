using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using LambdaSlim.IO;
using LambdaSlim.Model;

namespace LambdaSlim.Runtimes;

/// <summary>
/// Finds a local CPython of exactly the runtime's minor version, to install with, import modules and compile bytecode
/// as the runtime would: the interpreter given with --python-for X.Y=PATH, then python3.X on PATH (and python3 if it
/// is that version), then pyenv's versions ($PYENV_ROOT/versions/X.Y.*), then `uv python find X.Y`.
/// </summary>
public static partial class PythonFinder
{
    private static readonly ConcurrentDictionary<string, string?> Cache = new();

    /// <summary>The interpreters the user named for this build (--python-for), by "major.minor".</summary>
    private static readonly AsyncLocal<IReadOnlyDictionary<string, string>?> Given = new();

    [GeneratedRegex(@"^(?<version>3\.\d{1,2})=(?<path>.+)$")]
    private static partial Regex PythonFor();

    /// <summary>
    /// Uses these interpreters (version → path) before searching, in this async flow until disposed. Each is checked
    /// first, used or not: a mistyped one fails at once rather than when a runtime of its version turns up.
    /// </summary>
    public static IDisposable Use(IReadOnlyDictionary<string, string> interpreters)
    {
        var previous = Given.Value;
        if (interpreters.Count > 0) Given.Value = interpreters.ToDictionary(i => i.Key, i => Checked(i.Value, i.Key), StringComparer.Ordinal);
        return new Scope(previous);
    }

    private sealed class Scope(IReadOnlyDictionary<string, string>? previous) : IDisposable
    {
        public void Dispose() => Given.Value = previous;
    }

    /// <summary>Reads repeated --python-for X.Y=PATH options; paths become absolute.</summary>
    public static IReadOnlyDictionary<string, string> ParseOptions(IEnumerable<string> options)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var m = PythonFor().Match(option.Trim());
            if (!m.Success)
                throw new LambdaSlimException(ExitCode.Usage, $"--python-for '{option}' is not VERSION=PATH",
                    "write it as --python-for 3.14=/path/to/python3.14");
            var path = m.Groups["path"].Value;
            result[m.Groups["version"].Value] = path.Contains('/', StringComparison.Ordinal) || path.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
                ? Path.GetFullPath(path) : ProcessRunner.FindOnPath(path) ?? path;
        }
        return result;
    }

    public static string? Find(PythonRuntime runtime)
    {
        if (Given.Value?.GetValueOrDefault(runtime.Version) is { } given) return given;
        return Cache.GetOrAdd(runtime.Version, Search);
    }

    /// <summary>Where we looked, for the warning when nothing is found.</summary>
    public static string SearchedPlaces(PythonRuntime runtime) =>
        $"python{runtime.Version} on PATH, {PyenvRoot()}/versions/{runtime.Version}.*, and `uv python find {runtime.Version}`";

    /// <summary>What to do when no interpreter of the runtime's version is found.</summary>
    public static string InstallHint(PythonRuntime runtime) =>
        $"install CPython {runtime.Version} (pyenv install {runtime.Version}, or uv python install {runtime.Version}) or pass --python-for {runtime.Version}=/path/to/python{runtime.Version}";

    /// <summary>An interpreter the user named must be what they said: a CPython of that version that runs.</summary>
    private static string Checked(string path, string version)
    {
        var found = File.Exists(path) ? Probe(path) : null;
        if (found is { } f && f.Version == version) return f.Executable;
        var why = !File.Exists(path) ? "does not exist" : found is { } other ? $"is Python {other.Version}" : "does not run as a Python";
        throw new LambdaSlimException(ExitCode.Usage, $"--python-for {version}={path}: {path} {why}",
            $"point --python-for {version} at a CPython {version} interpreter");
    }

    private static string? Search(string version)
    {
        var candidates = new List<string>();
        if (ProcessRunner.FindOnPath($"python{version}") is { } onPath) candidates.Add(onPath);
        if (ProcessRunner.FindOnPath("python3") is { } python3) candidates.Add(python3);
        var versions = Path.Combine(PyenvRoot(), "versions");
        if (Directory.Exists(versions))
            foreach (var dir in Directory.EnumerateDirectories(versions, $"{version}.*").OrderDescending(StringComparer.Ordinal))
                candidates.Add(Path.Combine(dir, "bin", $"python{version}"));
        foreach (var c in candidates.Where(File.Exists))
            if (Probe(c) is { } found && found.Version == version) return found.Executable;
        return UvFind(version);
    }

    private static string PyenvRoot() =>
        Environment.GetEnvironmentVariable("PYENV_ROOT") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");

    /// <summary>
    /// The interpreter's "major.minor" and real executable (not a pyenv shim, whose folder says nothing about the
    /// interpreter's own lib folder), or null when it does not run (a shim for an inactive version fails).
    /// </summary>
    private static (string Version, string Executable)? Probe(string python)
    {
        try
        {
            var r = ProcessRunner.RunAsync(python, ["-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)"]).GetAwaiter().GetResult();
            var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return r.ExitCode == 0 && lines.Length == 2 && File.Exists(lines[1]) ? (lines[0], lines[1]) : null;
        }
        catch (FileNotFoundException) { return null; }
    }

    private static string? UvFind(string version)
    {
        if (ProcessRunner.FindOnPath("uv") is not { } uv) return null;
        try
        {
            var r = ProcessRunner.RunAsync(uv, ["python", "find", version]).GetAwaiter().GetResult();
            var path = r.StdOut.Trim();
            return r.ExitCode == 0 && File.Exists(path) && Probe(path) is { } found && found.Version == version ? found.Executable : null;
        }
        catch (FileNotFoundException) { return null; }
    }
}
