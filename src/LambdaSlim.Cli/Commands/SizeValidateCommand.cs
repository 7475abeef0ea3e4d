using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.Report;
using Spectre.Console.Cli;
using LambdaSlim.Model;
using LambdaSlim.ColdStart;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim size validate`: both tables and every finding; exit 1 when an AWS limit is exceeded.</summary>
public sealed class SizeValidateCommand(Consoles consoles) : Command<SizeValidateSettings>
{
    public override int Execute(CommandContext context, SizeValidateSettings settings, CancellationToken cancellationToken)
    {
        var built = BuiltProject.Load(settings);
        var report = settings.Target switch
        {
            SizeTarget.Layers => built.Report with { Functions = [], Totals = [] },
            SizeTarget.Functions => built.Report with { Layers = [] },
            _ => built.Report,
        };
        consoles.Out.Profile.Out.Writer.Write(SizeTables.Render(report, BuildPipeline.TargetsFor(built.Project), ColdStartProbe.Load(built.Paths.Output), markdown: false));
        var findings = built.Findings().Where(f => settings.Verbose || f.Severity != Severity.Info)
            .Where(f => settings.Target == SizeTarget.All || report.Layers.Concat(report.Functions).Any(a => a.LogicalId == f.Subject) || report.Totals.Any(t => t.LogicalId == f.Subject)).ToList();
        return BuildOutput.PrintFindings(consoles, findings, "size validation passed");
    }
}
