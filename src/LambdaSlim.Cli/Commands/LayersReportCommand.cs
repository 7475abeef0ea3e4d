using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using LambdaSlim.Report;
using Spectre.Console;
using Spectre.Console.Cli;
using LambdaSlim.Model;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim layers report [NAME|all]`: each layer's distributions and what pruning saved, by rule.</summary>
public sealed class LayersReportCommand(Consoles consoles) : Command<LayerSettings>
{
    public override int Execute(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var layers = LayerArgument.Select(project, settings.Layer); // a wrong name is a usage error, built or not
        var report = CommittedBuild.Load(new BuildPaths(project.ProjectDir));
        var sb = new System.Text.StringBuilder();
        foreach (var spec in layers)
        {
            var layer = report.Layers.FirstOrDefault(l => l.LogicalId == spec.LogicalId);
            if (layer is null) { sb.AppendLine($"{spec.LogicalId}: not built").AppendLine(); continue; }
            sb.AppendLine($"{layer.LogicalId}: {layer.FileCount:N0} files, {Bytes.Format(layer.UnzippedBytes)} unzipped ({Bytes.Format(layer.UnprunedBytes)} before pruning), {Bytes.Format(layer.ZippedBytes)} zipped, bytecode {layer.Bytecode?.Mode ?? "none"}");
            var rows = new List<string[]> { new[] { "distribution", "version", "unzipped" } };
            rows.AddRange(layer.Distributions.Select(d => new[] { d.Name, d.Version, Bytes.Format(d.UnzippedBytes) }));
            SummaryText.AppendTable(sb, rows, rightAligned: [2]);
            if (layer.Prune is { } p && (p.RemovedFiles > 0 || p.Strip.Files > 0))
            {
                var rules = new List<string[]> { new[] { $"pruned ({p.Level})", "files", "bytes" } };
                rules.AddRange(p.ByRule.Select(r => new[] { r.Rule, r.Files.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), Bytes.Format(r.Bytes) }));
                if (p.Strip.Files > 0) rules.Add([$"strip debug symbols ({p.Strip.Tool})", p.Strip.Files.ToString(System.Globalization.CultureInfo.InvariantCulture), Bytes.Format(p.Strip.BytesSaved)]);
                SummaryText.AppendTable(sb, rules, rightAligned: [1, 2]);
            }
            if (layer.Prune?.Trace is { } trace) TraceText.Append(sb, trace);
            sb.AppendLine();
        }
        consoles.Out.Profile.Out.Writer.Write(sb.ToString());
        return 0;
    }
}
