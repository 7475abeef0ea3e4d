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
}
