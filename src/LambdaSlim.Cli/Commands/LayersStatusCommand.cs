using System.Text;
using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using LambdaSlim.Report;
using Spectre.Console.Cli;
using LambdaSlim.Model;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim layers status [NAME|all]`: built or not, sizes, and whether requirements changed since.</summary>
public sealed class LayersStatusCommand(Consoles consoles) : Command<LayerSettings>
{
    public override int Execute(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var states = LayerStatus.Read(project, LayerArgument.Select(project, settings.Layer), settings.ToBuildSettings());
        var rows = new List<string[]> { new[] { "layer", "runtime", "arch", "unzipped", "zipped", "state" } };
        foreach (var s in states)
            rows.Add([s.Layer.LogicalId, s.Layer.Runtime.Name, s.Layer.Architecture.ToLambdaName(),
                s.Built is null ? "-" : Bytes.Format(s.Built.UnzippedBytes), s.Built is null ? "-" : Bytes.Format(s.Built.ZippedBytes), s.State]);
        var sb = new StringBuilder();
        SummaryText.AppendTable(sb, rows, rightAligned: [3, 4]);
        consoles.Out.Profile.Out.Writer.Write(sb.ToString());
        return 0;
    }
}
