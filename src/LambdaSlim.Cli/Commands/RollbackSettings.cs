using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class RollbackSettings : ProjectSettings
{
    [CommandOption("--stack-name <NAME>")]
    [Description("The stack to return to the release before its last good deploy (required)")]
    public string? StackName { get; init; }

    [CommandOption("--region <REGION>")]
    [Description("AWS region; else AWS_REGION, AWS_DEFAULT_REGION, the profile's region")]
    public string? Region { get; init; }

    [CommandOption("--profile <PROFILE>")]
    [Description("A profile of ~/.aws/config and ~/.aws/credentials")]
    public string? Profile { get; init; }

    [CommandOption("--endpoint-url <URL>")]
    [Description("Send every AWS call here (LocalStack, moto); else AWS_ENDPOINT_URL")]
    public string? EndpointUrl { get; init; }

    [CommandOption("--no-execute")]
    [Description("Create the change set and show it, but do not execute it")]
    public bool NoExecute { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(StackName) ? ValidationResult.Error("--stack-name is required: the stack to roll back") : base.Validate();
}
