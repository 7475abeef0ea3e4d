using System.Diagnostics;
using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim build`: parses options, runs the pipeline, prints the summary, returns the exit code.</summary>
public sealed class BuildCommand(Consoles consoles) : AsyncCommand<BuildSettingsCli>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BuildSettingsCli settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (settings.ProjectArgument is { } dir) DeprecatedForm.ProjectArgument(consoles, "build", dir);
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir,
            TemplatePath = settings.Template,
            Scope = settings.LayersOnly ? BuildScope.LayersOnly : settings.FunctionsOnly ? BuildScope.FunctionsOnly : BuildScope.All,
            Clean = settings.Clean,
            NoCache = settings.NoCache,
            Cache = settings.Cache,
            SkipValidation = settings.SkipValidation,
            Repair = settings.Repair,
            Audit = settings.Audit,
            Settings = settings.ToBuildSettings(),
            Aws = settings.ToAwsOptions(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose,
            observer => BuildPipeline.RunAsync(request, observer, cancellationToken)).ConfigureAwait(false);
        return BuildOutput.Print(consoles, result, settings.Format, clock.Elapsed, settings.Verbose);
    }
}
