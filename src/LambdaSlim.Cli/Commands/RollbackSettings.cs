using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class RollbackSettings : AwsSettings
{
    [CommandOption("--stack-name <NAME>")]
    [Description("The stack to return to the release before its last good deploy (required)")]
    public string? StackName { get; init; }

    [CommandOption("--no-execute")]
    [Description("Create the change set and show it, but do not execute it")]
    public bool NoExecute { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(StackName) ? ValidationResult.Error("--stack-name is required: the stack to roll back") : base.Validate();
}
