using System.Diagnostics;
using Spectre.Console;

namespace LambdaSlim.Cli.Console;

/// <summary>A step in a log: its status lines only with --verbose.</summary>
internal sealed class PlainStep(IAnsiConsole error, bool verbose) : IProgressStep
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string? _last;
    public void Report(long done, string? status = null) { if (status is not null) Status(status); }
    public void Status(string status)
    {
        _last = status;
        if (verbose) error.WriteLine($"  {status}");
    }
    public void Dispose() => error.WriteLine($"  {(verbose || _last is null ? "done" : _last)} ({_clock.Elapsed.TotalSeconds:0.0} s)");
}
