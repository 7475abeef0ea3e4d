using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim layers clean NAME|all`: removes zips and cached installs.</summary>
public sealed class LayersCleanCommand(Consoles consoles) : AsyncCommand<LayerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var layers = LayerArgument.Select(project, settings.Layer);
        await LayerStatus.CleanAsync(project, layers, cancellationToken).ConfigureAwait(false);
        foreach (var l in layers) consoles.Out.WriteLine($"cleaned {l.LogicalId}");
        return 0;
    }
}
