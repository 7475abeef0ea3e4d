using System.Diagnostics;

namespace LambdaSlim.Tests;

/// <summary>Where the repository, the offline wheelhouse and scratch folders are, for tests that use real parts.</summary>
public static class TestEnvironment
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The offline wheelhouse ./test.sh builds from the machine's real distributions.</summary>
    public static string Wheelhouse
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("LAMBDASLIM_WHEELHOUSE") ?? Path.Combine(RepoRoot, ".cache", "wheelhouse");
            if (!Directory.Exists(dir) || !Directory.EnumerateFiles(dir, "*.whl").Any())
                throw new InvalidOperationException($"no wheelhouse at {dir}: run ./test.sh (it builds one with tests/fixtures/wheelhouse/build-wheelhouse.sh)");
            return dir;
        }
    }

    public static string ExampleDir => Path.Combine(RepoRoot, "examples", "item-prediction");

    public static string NewTempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "lambdaslim-tests", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, dir);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is ".lambdaslim" or "__pycache__")) continue;
            Directory.CreateDirectory(Path.Combine(to, rel));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is ".lambdaslim" or "__pycache__")) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, rel))!);
            File.Copy(file, Path.Combine(to, rel));
        }
    }

    /// <summary>Runs real CPython 3.11 (python3) with a script, returning stdout; throws with stderr on failure.</summary>
    public static string Python(string script, params string[] args) => Run("python3", ["-c", script, .. args]);

    /// <summary>Runs a program and returns its stdout; throws with stderr when it fails.</summary>
    public static string Run(string fileName, params string[] args)
    {
        var (exitCode, stdout, stderr) = RunUnchecked(fileName, args);
        if (exitCode != 0) throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} failed ({exitCode}): {stderr}");
        return stdout;
    }

    /// <summary>Runs a program and returns its exit code and output, whatever the exit code.</summary>
    public static (int ExitCode, string StdOut, string StdErr) RunUnchecked(string fileName, params string[] args)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        // Read both pipes at once: a child that fills one pipe while we wait on the other would hang.
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    private static string FindRepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "LambdaSlim.slnx"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("cannot find LambdaSlim.slnx above the test assembly");
    }
}
