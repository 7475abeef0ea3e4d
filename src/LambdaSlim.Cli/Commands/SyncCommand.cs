using System.Diagnostics;
using LambdaSlim.Cli.Console;
using LambdaSlim.Operate;
using LambdaSlim.Project;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// `lambdaslim sync`: builds (unless --skip-build), then sends only the changed zips straight to Lambda, past
/// CloudFormation. With --watch it stays, rebuilding and syncing on every change of the code, until Ctrl-C.
/// </summary>
public sealed class SyncCommand(Consoles consoles) : AsyncCommand<SyncSettings>
{
    /// <summary>How long the files must stay quiet after a change before the build starts: one save is one build.</summary>
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    public override async Task<int> ExecuteAsync(CommandContext context, SyncSettings settings, CancellationToken cancellationToken)
    {
        var request = new SyncRequest
        {
            ProjectDir = settings.ProjectDir,
            TemplatePath = settings.Template,
            StackName = settings.StackName!,
            Function = settings.Function,
            Aws = settings.ToAwsOptions(),
            Bucket = settings.Bucket,
            Prefix = settings.Prefix ?? "",
            Metrics = !settings.NoMetrics,
        };
        var code = await OnceAsync(settings, request, cancellationToken).ConfigureAwait(false);
        if (!settings.Watch || code != 0) return code;
        return await WatchAsync(settings, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> OnceAsync(SyncSettings settings, SyncRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (!settings.SkipBuild)
        {
            var code = await BuildFirst.RunAsync(consoles, settings, cancellationToken).ConfigureAwait(false);
            if (code != 0) return code;
        }
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, observer => Sync.RunAsync(request, observer, cancellationToken)).ConfigureAwait(false);
        Print(result, clock.Elapsed);
        return 0;
    }

    private void Print(SyncResult result, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("resource", "in Lambda", "change");
        foreach (var l in result.Layers)
            table.AddRow($"layer {Markup.Escape(l.LogicalId)}", Markup.Escape(l.LayerName), l.Published ? $"published version {l.VersionArn[(l.VersionArn.LastIndexOf(':') + 1)..]}" : "unchanged");
        foreach (var f in result.Functions)
        {
            var changes = new[] { f.CodeUpdated ? "code updated" : null, f.LayersUpdated ? "layers updated" : null }.OfType<string>().ToList();
            table.AddRow($"function {Markup.Escape(f.LogicalId)}", Markup.Escape(f.FunctionName), changes.Count > 0 ? string.Join(", ", changes) : "unchanged");
        }
        consoles.Out.Write(table);
        if (result.NoChanges)
        {
            consoles.Error.WriteLine($"no changes: stack {result.StackName} already runs this build; nothing was sent ({elapsed.TotalSeconds:0.0} s)");
            return;
        }
        consoles.Error.WriteLine($"synced {result.WriteCalls} change{(result.WriteCalls == 1 ? "" : "s")} to stack {result.StackName} in {elapsed.TotalSeconds:0.0} s");
        consoles.Error.MarkupLineInterpolated(
            $"[yellow]note:[/] stack {result.StackName} now drifts from its template: sync changes Lambda directly, as sam sync does; `lambdaslim deploy --stack-name {result.StackName}` brings it back in line");
    }

    /// <summary>Builds and syncs after every change until Ctrl-C (exit 130); a failed build or sync is shown and the watch goes on.</summary>
    private async Task<int> WatchAsync(SyncSettings settings, SyncRequest request, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        using var watcher = SyncWatcher.For(project, Debounce);
        consoles.Error.WriteLine($"watching {watcher.Folders.Count} folder{(watcher.Folders.Count == 1 ? "" : "s")} for changes ({string.Join(", ", watcher.Folders.Select(f => BuildOutput.DisplayPath(f)))}); Ctrl-C stops");
        while (true)
        {
            try
            {
                var changed = await watcher.NextAsync(cancellationToken).ConfigureAwait(false);
                consoles.Error.WriteLine($"changed: {BuildOutput.DisplayPath(changed[0])}{(changed.Count > 1 ? $" and {changed.Count - 1} more" : "")}");
                await OnceAsync(settings, request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or LambdaSlimException)
            {
                consoles.Error.WriteLine("stopped watching");
                return (int)ExitCode.Cancelled;
            }
            catch (LambdaSlimException e) when (e.ExitCode != ExitCode.ConfigError)
            {
                // A syntax error mid-edit, a busy stack: say so and wait for the next change. Credentials that stopped working end the watch.
                LambdaSlimApp.ExitCodeFor(e, consoles.Error, settings.Verbose);
                consoles.Error.WriteLine("waiting for the next change");
            }
        }
    }
}
