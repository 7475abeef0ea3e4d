using System.Globalization;
using System.Text;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using LambdaSlim.Report;
using Spectre.Console;
using Spectre.Console.Cli;
using LambdaSlim.Model;
using LambdaSlim.ColdStart;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim coldstart`: median handler import time of the built artifacts, with and without bytecode.</summary>
public sealed class ColdStartCommand(Consoles consoles) : AsyncCommand<ColdStartSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ColdStartSettings settings, CancellationToken cancellationToken)
    {
        using var interpreters = LambdaSlim.Runtimes.PythonFinder.Use(LambdaSlim.Runtimes.PythonFinder.ParseOptions(settings.PythonFor));
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var functions = settings.Function == "all" ? project.Functions
            : project.Functions.Where(f => string.Equals(f.LogicalId, settings.Function, StringComparison.OrdinalIgnoreCase)).ToList();
        if (functions.Count == 0)
            throw new LambdaSlimException(ExitCode.Usage, $"no Python function named '{settings.Function}'", $"use one of: {string.Join(", ", project.Functions.Select(f => f.LogicalId))}, or 'all'");
        var results = new List<ColdStartResult>();
        await ProgressHost.RunAsync(consoles.Error, settings.Verbose, async observer =>
        {
            foreach (var f in functions)
                results.Add(await ColdStartProbe.MeasureAsync(project, f, settings.Runs, settings.Event, observer, cancellationToken).ConfigureAwait(false));
            return 0;
        }).ConfigureAwait(false);

        var sb = new StringBuilder();
        var rows = new List<string[]> { new[] { "function", "handler", "import (bytecode)", "import (no .pyc)", "speedup" } };
        foreach (var r in results)
            rows.Add([r.Function, r.Handler, Ms(r.MedianImportMs), Ms(r.MedianImportNoBytecodeMs), r.Speedup.ToString("0.0", CultureInfo.InvariantCulture) + "x"]);
        SummaryText.AppendTable(sb, rows, rightAligned: [2, 3, 4]);
        foreach (var r in results)
        {
            sb.AppendLine().AppendLine($"{r.Function}: slowest modules (median of {r.Runs} runs, self time)");
            var mods = new List<string[]> { new[] { "module", "self", "cumulative" } };
            mods.AddRange(r.Slowest.Select(m => new[] { m.Module, Ms(m.SelfMs), Ms(m.CumulativeMs) }));
            SummaryText.AppendTable(sb, mods, rightAligned: [1, 2]);
            if (r.InvocationResult is not null) sb.AppendLine($"invoked with {settings.Event}: {Ms(r.InvocationMs ?? 0)} → {r.InvocationResult}");
        }
        consoles.Out.Profile.Out.Writer.Write(sb.ToString());
        return 0;
    }

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
