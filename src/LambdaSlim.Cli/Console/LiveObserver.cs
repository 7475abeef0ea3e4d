using Spectre.Console;

namespace LambdaSlim.Cli.Console;

/// <summary>Progress for a terminal: a live bar per step; warnings wait until the display is gone.</summary>
internal sealed class LiveObserver(ProgressContext ctx, List<string> warnings, bool verbose) : IBuildObserver
{
    public void Info(string message) { if (verbose) lock (warnings) warnings.Add(message); }
    public void Warn(string message) { lock (warnings) warnings.Add(message); }
    public IProgressStep Step(string name, long? total = null)
    {
        var task = ctx.AddTask(Markup.Escape(name), maxValue: total is > 0 ? total.Value : 1);
        task.IsIndeterminate = total is null or 0;
        return new LiveStep(task, name);
    }
}
