using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim layers validate NAME|all`: imports every module of the layers before and after pruning; writes nothing.</summary>
public sealed class LayersValidateCommand(Consoles consoles) : AsyncCommand<LayerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        LayerArgument.Select(ProjectLoader.Load(settings.ProjectDir, settings.Template), settings.Layer);
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir, TemplatePath = settings.Template, Scope = BuildScope.LayersOnly,
            LayerNames = [settings.Layer], WriteArtifacts = false, Repair = settings.Repair, Settings = settings.ToBuildSettings(), Aws = settings.ToAwsOptions(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o => BuildPipeline.RunAsync(request, o, cancellationToken)).ConfigureAwait(false);
        return BuildOutput.PrintFindings(consoles, result);
    }
}
