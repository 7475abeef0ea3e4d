using LambdaSlim.Aws;
using LambdaSlim.Cli.Console;
using LambdaSlim.Pipeline;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim rollback`: deploys again the release kept before the last good one (deploy --enable-rollback keeps them).</summary>
public sealed class RollbackCommand(Consoles consoles) : AsyncCommand<RollbackSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RollbackSettings settings, CancellationToken cancellationToken)
    {
        var request = new DeployRequest
        {
            ProjectDir = settings.ProjectDir,
            StackName = settings.StackName!,
            Aws = settings.ToAwsOptions(),
            NoExecute = settings.NoExecute,
        };
        var (release, changeSet, outcome) = await ProgressHost.RunAsync(consoles.Error, settings.Verbose,
            observer => Deployment.RollBackAsync(request, observer, cancellationToken)).ConfigureAwait(false);
        var when = release.DeployedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture);
        if (changeSet.Verdict == ChangeSetVerdict.NoChanges)
            consoles.Error.WriteLine($"no changes: stack {request.StackName} already runs the release of {when}");
        else if (outcome is null)
            consoles.Error.WriteLine($"change set {changeSet.Request.ChangeSetName} back to the release of {when} is ready and was not executed (--no-execute)");
        else
            consoles.Error.WriteLine($"stack {request.StackName}: {outcome.FinalStatus}, back to the release of {when}");
        return 0;
    }
}
