using LambdaSlim.Cli.Console;
using LambdaSlim.Operate;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// `lambdaslim status`: the stack's state and latest events, and each function's code against the local build (in
/// sync, differs, not deployed) and against the stack's template (drifted after a sync). --follow then streams the
/// events until the stack settles.
/// </summary>
public sealed class StatusCommand(Consoles consoles) : AsyncCommand<StatusSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StatusSettings settings, CancellationToken cancellationToken)
    {
        var request = new StatusRequest { ProjectDir = settings.ProjectDir, StackName = settings.StackName!, Aws = settings.ToAwsOptions(), Events = settings.Events };
        var report = await StatusReader.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        var stack = report.Stack;
        consoles.Out.WriteLine($"stack {stack.StackName}: {stack.Status}{(stack.StatusReason is { } reason ? $" ({reason})" : "")}");
        foreach (var e in report.Events) consoles.Out.WriteLine($"  {e.Line}");
        if (report.Functions.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("function", "in Lambda", "code vs this build", "vs the stack's template");
            foreach (var f in report.Functions)
                table.AddRow(Markup.Escape(f.LogicalId), Markup.Escape(f.FunctionName ?? "-"), Code(f.Code), f.Drifted ? "[yellow]drifted[/]" : f.StackSha256 is null || f.LambdaSha256 is null ? "-" : "as deployed");
            consoles.Out.Write(table);
        }
        if (report.AnyDrift)
        {
            var drifted = report.Functions.Where(f => f.Drifted).Select(f => f.LogicalId).ToList();
            consoles.Error.MarkupLineInterpolated(
                $"[yellow]note:[/] {string.Join(", ", drifted)} {(drifted.Count == 1 ? "runs" : "run")} code other than the stack's template names (a sync changed {(drifted.Count == 1 ? "it" : "them")}); `lambdaslim deploy --stack-name {stack.StackName}` brings the stack back in line");
        }
        if (!settings.Follow) return 0;
        if (report.Settled)
        {
            consoles.Error.WriteLine($"stack {stack.StackName} is {stack.Status}: nothing to follow");
            return 0;
        }
        var outcome = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, observer => StatusReader.FollowAsync(request, report, observer, cancellationToken)).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            var cause = outcome.RootCauses.FirstOrDefault();
            throw new LambdaSlimException(ExitCode.AwsFailed,
                $"stack {stack.StackName} ended {outcome.FinalStatus}{(cause is null ? "" : $"; first failure: {cause.LogicalResourceId} {cause.ResourceStatus}: {cause.ResourceStatusReason}")}",
                "fix the cause and deploy again");
        }
        consoles.Error.WriteLine($"stack {stack.StackName}: {outcome.FinalStatus}");
        return 0;
    }

    private static string Code(StatusCode code) => code switch
    {
        StatusCode.InSync => "[green]in sync[/]",
        StatusCode.Differs => "[yellow]differs[/]",
        StatusCode.NotDeployed => "not deployed",
        _ => "not built",
    };
}
