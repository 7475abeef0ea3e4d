using System.Diagnostics;
using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim layers optimize NAME|all`: runs the prune stage on built layers and writes their zips again, without import verification.</summary>
public sealed class LayersOptimizeCommand(Consoles consoles) : AsyncCommand<LayerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        LayerArgument.Select(ProjectLoader.Load(settings.ProjectDir, settings.Template), settings.Layer);
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir, TemplatePath = settings.Template, Scope = BuildScope.LayersOnly,
            LayerNames = [settings.Layer], Verify = false, Settings = settings.ToBuildSettings(), Aws = settings.ToAwsOptions(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o => BuildPipeline.RunAsync(request, o, cancellationToken)).ConfigureAwait(false);
        return BuildOutput.Print(consoles, result, OutputFormat.Text, clock.Elapsed);
    }
}
