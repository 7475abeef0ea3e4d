using LambdaSlim.Cli.Console;
using Spectre.Console;
using Spectre.Console.Cli;
using LambdaSlim.Model;

namespace LambdaSlim.Cli.Commands;

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
