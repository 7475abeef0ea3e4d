using Spectre.Console;

namespace LambdaSlim.Cli.Console;

/// <summary>Progress for a log: one line per step, the step's last status and time when it ends.</summary>
internal sealed class PlainObserver(IAnsiConsole error, bool verbose) : IBuildObserver
{
    public void Info(string message) => error.WriteLine(message);
    public void Warn(string message) => error.MarkupLineInterpolated($"[yellow]warning:[/] {message}");
    public IProgressStep Step(string name, long? total = null)
    {
        error.WriteLine($"{name} ...");
        return new PlainStep(error, verbose);
    }
}
