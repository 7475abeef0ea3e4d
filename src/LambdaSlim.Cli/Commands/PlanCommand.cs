using LambdaSlim.Cli.Console;
using LambdaSlim.Plan;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim plan`: chooses the layers from what each function imports; --write applies them to the template.</summary>
public sealed class PlanCommand(Consoles consoles) : AsyncCommand<PlanSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PlanSettings settings, CancellationToken cancellationToken)
    {
        var request = new PlanRequest { ProjectDir = settings.ProjectDir, TemplatePath = settings.Template, Settings = settings.ToBuildSettings() };
        var report = await ProgressHost.RunAsync(consoles.Error, settings.Verbose,
            observer => PlanRunner.RunAsync(request, observer, cancellationToken)).ConfigureAwait(false);
        var output = consoles.Out.Profile.Out.Writer;
        output.Write(settings.Format switch
        {
            PlanFormat.Json => PlanText.Json(report),
            PlanFormat.Markdown => PlanText.Markdown(report),
            _ => PlanText.Text(report),
        });
        if (!report.Plan.Fits) return (int)ExitCode.ValidationFailed;
        if (settings.Write)
        {
            var written = await PlanWriter.WriteAsync(report, cancellationToken).ConfigureAwait(false);
            foreach (var line in written) consoles.Error.MarkupLineInterpolated($"{line}");
        }
        return (int)ExitCode.Ok;
    }
}
