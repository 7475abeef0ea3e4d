using System.Diagnostics;
using LambdaSlim;
using Spectre.Console;

namespace LambdaSlim.Cli.Console;

/// <summary>
/// Progress on stderr: live bars when stderr is a terminal, one plain line per step when it is redirected
/// (CI logs). Results go to stdout elsewhere, so `lambdaslim build > out.txt` stays clean.
/// </summary>
public static class ProgressHost
{
    public static async Task<T> RunAsync<T>(IAnsiConsole error, bool verbose, Func<IBuildObserver, Task<T>> work)
    {
        var interactive = !System.Console.IsErrorRedirected && error.Profile.Capabilities.Interactive;
        if (!interactive) return await work(new PlainObserver(error, verbose)).ConfigureAwait(false);

        var warnings = new List<string>();
        try
        {
            return await error.Progress()
                .AutoClear(true)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(ctx => work(new LiveObserver(ctx, warnings, verbose))).ConfigureAwait(false);
        }
        finally
        {
            // Lines written under a live display get torn; warnings wait until it is gone.
            foreach (var w in warnings) error.MarkupLineInterpolated($"[yellow]warning:[/] {w}");
        }
    }

    private sealed class PlainObserver(IAnsiConsole error, bool verbose) : IBuildObserver
    {
        public void Info(string message) => error.WriteLine(message);
        public void Warn(string message) => error.MarkupLineInterpolated($"[yellow]warning:[/] {message}");
        public IProgressStep Step(string name, long? total = null)
        {
            error.WriteLine($"{name} ...");
            return new PlainStep(error, verbose);
        }
    }

    private sealed class PlainStep(IAnsiConsole error, bool verbose) : IProgressStep
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

    private sealed class LiveObserver(ProgressContext ctx, List<string> warnings, bool verbose) : IBuildObserver
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

    private sealed class LiveStep(ProgressTask task, string name) : IProgressStep
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
}
