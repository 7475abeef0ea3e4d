using Spectre.Console;

namespace LambdaSlim.Cli.Console;

/// <summary>One live progress bar.</summary>
internal sealed class LiveStep(ProgressTask task, string name) : IProgressStep
{
    public void Report(long done, string? status = null)
    {
        task.Value = Math.Min(done, task.MaxValue);
        if (status is not null) Status(status);
    }
    public void Status(string status) => task.Description = Markup.Escape(status.Length > 70 ? status[..70] + "…" : status);
    public void Dispose()
    {
        task.IsIndeterminate = false;
        task.Value = task.MaxValue;
        if (task.Description.Length == 0) task.Description = Markup.Escape(name);
        task.StopTask();
    }
}
