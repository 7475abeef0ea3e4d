using System.Diagnostics;
using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim layers build NAME|all`: builds only layers, as the seed's manage-layers.sh did.</summary>
public sealed class LayersBuildCommand(Consoles consoles) : AsyncCommand<LayerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        LayerArgument.Select(ProjectLoader.Load(settings.ProjectDir, settings.Template), settings.Layer);
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir,
            TemplatePath = settings.Template,
            Scope = BuildScope.LayersOnly,
            LayerNames = [settings.Layer],
            Settings = settings.ToBuildSettings() with { ForceInstall = settings.Clean },
            Aws = settings.ToAwsOptions(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose,
            observer => BuildPipeline.RunAsync(request, observer, cancellationToken)).ConfigureAwait(false);
        return BuildOutput.Print(consoles, result, OutputFormat.Text, clock.Elapsed);
    }
}
