using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class StatusSettings : AwsSettings
{
    [CommandOption("--stack-name <NAME>")]
    [Description("The deployed stack to look at (required)")]
    public string? StackName { get; init; }

    [CommandOption("--follow")]
    [Description("Then print the stack's events as they come until it reaches a final state (resumes a deploy's monitor stopped by Ctrl-C)")]
    public bool Follow { get; init; }

    [CommandOption("--events <N>")]
    [Description("How many of the latest stack events to show (default 10)")]
    [DefaultValue(10)]
    public int Events { get; init; } = 10;

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(StackName)) return ValidationResult.Error("--stack-name is required: the deployed stack to look at");
        if (Events < 0) return ValidationResult.Error("--events takes a count of 0 or more");
        return base.Validate();
    }
}
