using System.Globalization;
using System.Text;
using LambdaSlim.Aws;
using LambdaSlim.ColdStart;
using LambdaSlim.Cli.Console;
using LambdaSlim.Model;
using LambdaSlim.Operate;
using LambdaSlim.Report;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// `lambdaslim logs`: a deployed function's CloudWatch Logs, errors in red and REPORT lines parsed (duration, memory,
/// init duration on a cold start); --tail follows them, --cold-starts summarises the init durations.
/// </summary>
public sealed class LogsCommand(Consoles consoles) : AsyncCommand<LogsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LogsSettings settings, CancellationToken cancellationToken)
    {
        var since = LogsSince.Parse(settings.Since, DateTimeOffset.UtcNow);
        var request = new LogsRequest
        {
            Function = settings.Function,
            StackName = settings.StackName,
            Aws = AwsOptions.Default with { Profile = settings.Profile, Region = settings.Region, EndpointUrl = settings.EndpointUrl },
        };
        using var logs = await FunctionLogs.OpenAsync(request, cancellationToken).ConfigureAwait(false);
        var named = logs.LogicalId is { } id ? $"{id} ({logs.PhysicalName})" : logs.PhysicalName;
        if (settings.ColdStarts) return await ColdStartsAsync(logs, named, since, settings, cancellationToken).ConfigureAwait(false);

        consoles.Error.WriteLine($"{logs.LogGroup} in {logs.Region} since {Time(since)}{(settings.Filter is { } f ? $", filter {f}" : "")}");
        if (settings.Tail)
        {
            try
            {
                await logs.TailAsync(since, settings.Filter, Show,
                    () => consoles.Error.WriteLine($"{logs.LogGroup} does not exist yet: waiting for {logs.PhysicalName}'s first invocation"),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a tail ends: no error line, the usual exit code for an interrupted command.
            }
            return (int)ExitCode.Cancelled;
        }

        var events = await logs.ReadAsync(since, settings.Filter, cancellationToken).ConfigureAwait(false);
        foreach (var e in events) Show(e);
        var reports = events.Select(e => e.Report).OfType<InvocationReport>().ToList();
        consoles.Error.WriteLine($"{Count(events.Count, "event")}, {Count(events.Count(e => e.Kind == LogLineKind.Error), "error")}, " +
            $"{Count(reports.Count, "invocation")} reported ({Count(reports.Count(r => r.ColdStart), "cold start")})");
        if (events.Count >= request.MaxEvents)
            consoles.Error.MarkupLineInterpolated($"[yellow]warning:[/] showing the first {request.MaxEvents:N0} events only: narrow --since or --filter");
        return 0;
    }

    private void Show(FunctionLogEvent e)
    {
        var time = e.Event.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var message = e.Event.Message.TrimEnd('\n', '\r');
        switch (e.Kind)
        {
            case LogLineKind.Report when e.Report is { } r:
                consoles.Out.MarkupLineInterpolated($"[grey]{time}[/] [cyan]REPORT {r.RequestId}[/] {Describe(r)}");
                break;
            case LogLineKind.Error:
                consoles.Out.MarkupLineInterpolated($"[grey]{time}[/] [red]{message}[/]");
                break;
            case LogLineKind.Platform:
                consoles.Out.MarkupLineInterpolated($"[grey]{time} {message}[/]");
                break;
            default:
                consoles.Out.MarkupLineInterpolated($"[grey]{time}[/] {message}");
                break;
        }
    }

    /// <summary>A REPORT line in words: duration, billed duration, memory used of memory size, and the init duration of a cold start.</summary>
    internal static string Describe(InvocationReport r) =>
        $"duration {Ms(r.DurationMs)} (billed {Ms(r.BilledDurationMs)}), memory {r.MaxMemoryUsedMb} of {r.MemorySizeMb} MB" +
        (r.InitDurationMs is { } init ? $", cold start: init {Ms(init)}" : "");

    private async Task<int> ColdStartsAsync(FunctionLogs logs, string named, DateTimeOffset since, LogsSettings settings, CancellationToken cancellationToken)
    {
        var reports = await logs.ReportsAsync(since, cancellationToken).ConfigureAwait(false);
        var summary = ColdStartSummary.Of(reports);
        var sb = new StringBuilder();
        sb.AppendLine($"cold starts of {named} since {Time(since)}: {summary.ColdStarts} of {Count(summary.Invocations, "invocation")}");
        var rows = new List<string[]> { new[] { "measured", "count", "min", "median", "p90", "max" } };
        if (summary.ColdStarts > 0)
            rows.Add(["Lambda init duration (REPORT)", summary.ColdStarts.ToString(CultureInfo.InvariantCulture), Ms(summary.MinMs), Ms(summary.MedianMs), Ms(summary.P90Ms), Ms(summary.MaxMs)]);
        else
            rows.Add(["Lambda init duration (REPORT)", "0", "", "", "", ""]);

        var local = ColdStartProbe.Load(new BuildPaths(Path.GetFullPath(settings.ProjectDir)).Output);
        var measured = (logs.LogicalId is { } id ? local.GetValueOrDefault(id) : null) ?? local.GetValueOrDefault(settings.Function);
        if (measured is not null)
        {
            rows.Add(["local handler import (lambdaslim coldstart)", $"{measured.Runs} runs", "", Ms(measured.MedianImportMs), "", ""]);
            rows.Add(["  the same without bytecode", $"{measured.Runs} runs", "", Ms(measured.MedianImportNoBytecodeMs), "", ""]);
        }
        SummaryText.AppendTable(sb, rows, rightAligned: [1, 2, 3, 4, 5]);
        if (measured is null)
            sb.AppendLine($"no local measurement: run `lambdaslim coldstart {logs.LogicalId ?? settings.Function}` to put one beside these");
        else
            sb.AppendLine("Lambda's init duration is the runtime starting plus the handler's import; the local figure is the import alone");
        consoles.Out.Profile.Out.Writer.Write(sb.ToString());
        return 0;
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Ms(double ms) => ms.ToString("0.##", CultureInfo.InvariantCulture) + " ms";

    private static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";
}
