using System.Diagnostics;
using LambdaSlim.Cache;

namespace LambdaSlim.Tests;

/// <summary>
/// The real CLI in its own process, with the environment a test gives it (AWS settings, a cache): an in-process run
/// would share the process's environment with every other test.
/// </summary>
public static class CliProcess
{
    public static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LambdaSlim.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove(CacheLocation.EnvironmentVariable);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }
}
