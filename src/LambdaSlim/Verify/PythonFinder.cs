using System.Collections.Concurrent;
using LambdaSlim.IO;
using LambdaSlim.Project;

namespace LambdaSlim.Verify;

/// <summary>
/// Finds a local CPython of exactly the runtime's minor version, to import modules and compile bytecode as the
/// runtime would: python3.X on PATH, then pyenv's versions, then `uv python find`.
/// </summary>
public static class PythonFinder
{
    private static readonly ConcurrentDictionary<string, string?> Cache = new();

    public static string? Find(PythonRuntime runtime) => Cache.GetOrAdd(runtime.Version, Search);

    /// <summary>Where we looked, for the warning when nothing is found.</summary>
    public static string SearchedPlaces(PythonRuntime runtime) =>
        $"python{runtime.Version} on PATH, {PyenvRoot()}/versions/{runtime.Version}.*, and `uv python find {runtime.Version}`";

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
