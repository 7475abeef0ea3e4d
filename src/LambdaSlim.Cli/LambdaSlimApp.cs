using LambdaSlim.Cli.Commands;
using LambdaSlim.Cli.Console;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli;

/// <summary>The command tree, and the one place that maps exceptions to exit codes.</summary>
public static class LambdaSlimApp
{
    public static async Task<int> RunAsync(string[] args, Consoles consoles, CancellationToken cancellationToken = default)
    {
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(Consoles), consoles);
        var app = new CommandApp(registrar);
        var verbose = args.Contains("--verbose") || args.Contains("-v");
        app.Configure(config =>
        {
            config.SetApplicationName("lambdaslim");
            config.UseStrictParsing();
            config.ConfigureConsole(consoles.Error);
            config.SetExceptionHandler((e, _) => ExitCodeFor(e, consoles.Error, verbose));
            config.AddCommand<BuildCommand>("build")
                .WithDescription("Build layer and function zips for Lambda from a SAM template")
                .WithExample("build", "-p", "examples/item-prediction", "--find-links", "wheels/");
            config.AddCommand<AuditCommand>("audit")
                .WithDescription("Check every native binary of the built zips, or of any layer or function zip, against what the Lambda runtime provides; installs nothing")
                .WithExample("audit", "-p", "examples/item-prediction")
                .WithExample("audit", "third-party-layer.zip", "--runtime", "python3.12", "--arch", "arm64");
            config.AddCommand<DeployCommand>("deploy")
                .WithDescription("Build, upload the zips to S3 under their sha256, and create, show, execute and follow a CloudFormation change set");
            config.AddCommand<SyncCommand>("sync")
                .WithDescription("Send changed code straight to the stack's functions and layers, past CloudFormation (the stack drifts until the next deploy); --watch keeps doing it")
                .WithExample("sync", "--stack-name", "my-app", "--watch")
                .WithExample("sync", "PredictFunction", "--stack-name", "my-app");
            config.AddCommand<StatusCommand>("status")
                .WithDescription("Show the stack's state, its latest events, and each function's code against the local build; --follow streams events until the stack settles");
            config.AddCommand<RollbackCommand>("rollback")
                .WithDescription("Deploy again the release before the last good one (deploys made with --enable-rollback keep it)");
            config.AddCommand<LogsCommand>("logs")
                .WithDescription("Read a deployed function's CloudWatch Logs: errors highlighted, REPORT lines parsed, --tail to follow, --cold-starts to summarise init durations")
                .WithExample("logs", "PredictionsFunction", "--stack-name", "item-prediction", "--tail", "--filter", "ERROR");
            config.AddCommand<PolicyCommand>("policy")
                .WithDescription("Print the least-privilege IAM policy that deploying this template needs");
            config.AddCommand<PlanCommand>("plan")
                .WithDescription("Choose the layers from what each function imports and the built sizes; --write applies them to the template")
                .WithExample("plan", "-p", "examples/item-prediction", "--format", "markdown");
            config.AddCommand<ColdStartCommand>("coldstart")
                .WithDescription("Measure the handler's import time in the built artifacts, with and without bytecode");
            config.AddBranch("size", size =>
            {
                size.SetDescription("Check sizes against AWS limits and targets, and report where the bytes go");
                size.AddCommand<SizeValidateCommand>("validate").WithDescription("Show the size tables and every finding");
                size.AddCommand<SizeCheckCommand>("check").WithDescription("Exit 0 only when every function can be deployed (the CI gate)");
                size.AddCommand<SizeReportCommand>("report").WithDescription("The size report as text, markdown, json or a self-contained html page");
            });
            config.AddBranch("layers", layers =>
            {
                layers.AddCommand<LayersReportCommand>("report").WithDescription("Each layer's distributions and what pruning saved");
                layers.SetDescription("Build, inspect or clean the template's layers");
                layers.AddCommand<LayersBuildCommand>("build").WithDescription("Build one layer, or all");
                layers.AddCommand<LayersCleanCommand>("clean").WithDescription("Delete a layer's zip and cached install");
                layers.AddCommand<LayersOptimizeCommand>("optimize").WithDescription("Prune built layers again and rewrite their zips");
                layers.AddCommand<LayersValidateCommand>("validate").WithDescription("Import every module of the layers before and after pruning");
                layers.AddCommand<LayersStatusCommand>("status").WithDescription("Show whether layers are built and up to date");
            });
            config.AddBranch("cache", cache =>
            {
                cache.SetDescription("See and trim the shared cache of finished artifacts (a folder or s3://bucket/prefix)");
                cache.AddCommand<CacheStatusCommand>("status").WithDescription("Where the cache is, its entries and bytes, the oldest and newest")
                    .WithExample("cache", "status", "--cache", "s3://my-bucket/lambdaslim");
                cache.AddCommand<CachePruneCommand>("prune").WithDescription("Remove entries, oldest first, down to a size or an age")
                    .WithExample("cache", "prune", "--max-size", "5GB", "--older-than", "30d");
            });
        });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        System.Console.CancelKeyPress += onCancel;
        // CI runners and `timeout` stop a job with SIGTERM: unwind as for Ctrl+C, so staged outputs are removed.
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            cancel.Cancel();
        });
        try
        {
            return await app.RunAsync(args, cancel.Token).ConfigureAwait(false);
        }
        finally
        {
            System.Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>One line for the user, with the fix; the stack trace only with --verbose.</summary>
    internal static int ExitCodeFor(Exception e, IAnsiConsole error, bool verbose)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } one) e = one.InnerExceptions[0];
        // An option value our converters rejected (--audit bogus): their line names the option and the values.
        if (e is CommandAppException { InnerException: LambdaSlimException converter }) e = converter;
        var (code, line) = e switch
        {
            LambdaSlimException ls => (ls.ExitCode, ls.OneLine),
            OperationCanceledException => (ExitCode.Cancelled, "cancelled"),
            CommandAppException ca => (ExitCode.Usage, ca.Message + " (see lambdaslim --help)"),
            // The machine said no (permissions, a read-only or full disk, a path too long): its message names the path.
            UnauthorizedAccessException or IOException => (ExitCode.FileSystem,
                $"{FirstLine(e.Message)}: check the path's permissions and free space; the last complete build is left as it was"),
            _ => (ExitCode.Unhandled, $"internal error: {e.GetType().Name}: {e.Message} (please report it; rerun with --verbose for the stack trace)"),
        };
        error.MarkupLineInterpolated($"[red]error:[/] {line}");
        if (verbose && e is LambdaSlimException { Details: { } details }) error.WriteLine(details);
        else if (verbose) error.WriteException(e);
        return (int)code;
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim().TrimEnd('.');
}
