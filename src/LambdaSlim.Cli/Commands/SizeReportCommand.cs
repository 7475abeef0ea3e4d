using System.Text.Json;
using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.IO;
using LambdaSlim.Report;
using Spectre.Console;
using Spectre.Console.Cli;
using LambdaSlim.Model;
using LambdaSlim.ColdStart;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim size report`: the tables as text or Markdown, the report as JSON, or a self-contained HTML page.</summary>
public sealed class SizeReportCommand(Consoles consoles) : AsyncCommand<SizeReportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SizeReportSettings settings, CancellationToken cancellationToken)
    {
        var built = BuiltProject.Load(settings);
        var coldStarts = ColdStartProbe.Load(built.Paths.Output);
        var text = settings.Format switch
        {
            ReportFormat.Html => HtmlReport.Render(built.Report, built.Paths.Output),
            ReportFormat.Json => JsonSerializer.Serialize(new
            {
                report = built.Report,
                findings = built.Findings().Select(f => new { severity = f.Severity.ToString().ToLowerInvariant(), subject = f.Subject, message = f.Message }),
                coldStarts,
            }, BuildReport.Json) + "\n",
            var md => SizeTables.Render(built.Report, BuildPipeline.TargetsFor(built.Project), coldStarts, markdown: md == ReportFormat.Markdown),
        };
        var output = settings.Output ?? (settings.Format == ReportFormat.Html ? Path.Combine(built.Paths.Output, "size-report.html") : null);
        if (output is not null && Directory.Exists(output))
            throw new LambdaSlimException(ExitCode.Usage, $"-o {output} is a folder", $"name a file, e.g. -o {Path.Combine(output, "size-report." + (settings.Format == ReportFormat.Markdown ? "md" : settings.Format.ToString().ToLowerInvariant()))}");
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
