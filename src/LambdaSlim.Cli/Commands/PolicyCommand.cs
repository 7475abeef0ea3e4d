using LambdaSlim.Cli.Console;
using LambdaSlim.Pipeline;
using LambdaSlim.Project;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim policy`: prints the least-privilege IAM policy that deploying the template needs.</summary>
public sealed class PolicyCommand(Consoles consoles) : Command<PolicySettings>
{
    public override int Execute(CommandContext context, PolicySettings settings, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var parameters = DeploySettings.Pairs(settings.ParameterOverrides);
        if (settings.Environment is { } environment && project.Template.HasParameter("Environment")) parameters.TryAdd("Environment", environment);
        var policy = DeployPolicy.For(project.Template, new DeployPolicy.Inputs(settings.StackName!, settings.Bucket, settings.Prefix ?? "",
            settings.Region ?? "*", settings.Account ?? "*", parameters));
        consoles.Out.Profile.Out.Writer.WriteLine(policy.Json);
        foreach (var type in policy.Uncovered)
            consoles.Error.WriteLine($"note: the template has {type}, which this policy does not cover: add that service's actions for the stack's resources");
        return 0;
    }
}
