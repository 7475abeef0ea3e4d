using System.ComponentModel;
using System.Text.Json;
using LambdaSlim.Build;
using LambdaSlim.Cli.Console;
using LambdaSlim.Coldstart;
using LambdaSlim.IO;
using LambdaSlim.Project;
using LambdaSlim.Report;
using LambdaSlim.Validate;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public class SizeSettings : ProjectSettings
{
    [CommandOption("-p|--project <DIR>")]
    [Description("Folder that holds the SAM template. Default: the current folder")]
    public string ProjectDir { get; init; } = ".";
}

public sealed class SizeValidateSettings : SizeSettings
{
    [CommandOption("--target <WHAT>")]
    [Description("layers, functions or all (default)")]
    [DefaultValue("all")]
    public string Target { get; init; } = "all";

    public override ValidationResult Validate() =>
        Target is "layers" or "functions" or "all" ? base.Validate() : ValidationResult.Error($"--target '{Target}' is not known: use layers, functions or all");
}

public sealed class SizeReportSettings : SizeSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("text (default), json, markdown or html")]
    [DefaultValue("text")]
    public string Format { get; init; } = "text";

    [CommandOption("-o|--output <FILE>")]
    [Description("Write the report here (html defaults to .lambdaslim/build/size-report.html)")]
    public string? Output { get; init; }

    public override ValidationResult Validate() =>
        Format is "text" or "json" or "markdown" or "html" ? base.Validate() : ValidationResult.Error($"--format '{Format}' is not known: use text, json, markdown or html");
}

/// <summary>What every size command starts from: the project and the report of its last build.</summary>
internal sealed record BuiltProject(ProjectModel Project, BuildPaths Paths, BuildReport Report)
{
    public static BuiltProject Load(SizeSettings settings)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var paths = new BuildPaths(project.ProjectDir);
        return new BuiltProject(project, paths, CommittedBuild.Load(paths));
    }

    public IReadOnlyList<Finding> Findings() => LimitCheck.Check(Report, BuildPipeline.TargetsFor(Project));
}

/// <summary>`lambdaslim size validate`: both tables and every finding; exit 1 when an AWS limit is exceeded.</summary>
public sealed class SizeValidateCommand(Consoles consoles) : Command<SizeValidateSettings>
{
    public override int Execute(CommandContext context, SizeValidateSettings settings, CancellationToken cancellationToken)
    {
        var built = BuiltProject.Load(settings);
        var report = settings.Target switch
        {
            "layers" => built.Report with { Functions = [], Totals = [] },
            "functions" => built.Report with { Layers = [] },
            _ => built.Report,
        };
        consoles.Out.Profile.Out.Writer.Write(SizeTables.Render(report, BuildPipeline.TargetsFor(built.Project), ColdStartProbe.Load(built.Paths.Output), markdown: false));
        var findings = built.Findings().Where(f => settings.Verbose || f.Severity != Severity.Info)
            .Where(f => settings.Target == "all" || report.Layers.Concat(report.Functions).Any(a => a.LogicalId == f.Subject) || report.Totals.Any(t => t.LogicalId == f.Subject)).ToList();
        return BuildOutput.PrintFindings(consoles, findings, "size validation passed");
    }
}

/// <summary>`lambdaslim size check`: the CI gate. Exit 0 only when every function can be deployed.</summary>
public sealed class SizeCheckCommand(Consoles consoles) : Command<SizeSettings>
{
    public override int Execute(CommandContext context, SizeSettings settings, CancellationToken cancellationToken)
    {
        var built = BuiltProject.Load(settings);
        var errors = built.Findings().Where(f => f.Severity == Severity.Error).ToList();
        foreach (var t in built.Report.Totals)
        {
            var mine = errors.Where(e => e.Subject == t.LogicalId).ToList();
            consoles.Out.Profile.Out.Writer.WriteLine(mine.Count == 0
                ? $"ok    {t.LogicalId}: {Bytes.Format(t.TotalUnzippedBytes)} with {t.Layers.Count} layer{(t.Layers.Count == 1 ? "" : "s")}{(t.TotalIsLowerBound ? " (lower bound: external layers unknown)" : "")}"
                : $"FAIL  {t.LogicalId}: {string.Join(" | ", mine.Select(m => m.Message))}");
        }
        return errors.Count == 0 ? (int)ExitCode.Ok : (int)ExitCode.ValidationFailed;
    }
}

/// <summary>`lambdaslim size report`: the tables as text or Markdown, the report as JSON, or a self-contained HTML page.</summary>
public sealed class SizeReportCommand(Consoles consoles) : AsyncCommand<SizeReportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SizeReportSettings settings, CancellationToken cancellationToken)
    {
        var built = BuiltProject.Load(settings);
        var coldStarts = ColdStartProbe.Load(built.Paths.Output);
        var text = settings.Format switch
        {
            "html" => HtmlReport.Render(built.Report, built.Paths.Output),
            "json" => JsonSerializer.Serialize(new
            {
                report = built.Report,
                findings = built.Findings().Select(f => new { severity = f.Severity.ToString().ToLowerInvariant(), subject = f.Subject, message = f.Message }),
                coldStarts,
            }, BuildReport.Json) + "\n",
            var md => SizeTables.Render(built.Report, BuildPipeline.TargetsFor(built.Project), coldStarts, markdown: md == "markdown"),
        };
        var output = settings.Output ?? (settings.Format == "html" ? Path.Combine(built.Paths.Output, "size-report.html") : null);
        if (output is not null && Directory.Exists(output))
            throw new LambdaSlimException(ExitCode.Usage, $"-o {output} is a folder", $"name a file, e.g. -o {Path.Combine(output, "size-report." + (settings.Format == "markdown" ? "md" : settings.Format))}");
        if (output is null)
        {
            consoles.Out.Profile.Out.Writer.Write(text);
            return 0;
        }
        await AtomicFile.WriteAllTextAsync(output, text, cancellationToken).ConfigureAwait(false);
        consoles.Out.Profile.Out.Writer.WriteLine($"wrote {BuildOutput.DisplayPath(Path.GetFullPath(output))}");
        return 0;
    }
}

/// <summary>`lambdaslim layers report [NAME|all]`: each layer's distributions and what pruning saved, by rule.</summary>
public sealed class LayersReportCommand(Consoles consoles) : Command<LayerSettings>
{
    public override int Execute(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var report = CommittedBuild.Load(new BuildPaths(project.ProjectDir));
        var sb = new System.Text.StringBuilder();
        foreach (var spec in project.SelectLayers(settings.Layer))
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
            sb.AppendLine();
        }
        consoles.Out.Profile.Out.Writer.Write(sb.ToString());
        return 0;
    }
}
