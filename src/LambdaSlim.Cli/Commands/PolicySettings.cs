using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class PolicySettings : ProjectSettings
{
    [CommandOption("--stack-name <NAME>")]
    [Description("The stack `lambdaslim deploy` will create or update (required)")]
    public string? StackName { get; init; }

    [CommandOption("--s3-bucket <BUCKET>")]
    [Description("The artifact bucket; default: lambdaslim-artifacts-ACCOUNT-REGION")]
    public string? Bucket { get; init; }

    [CommandOption("--s3-prefix <PREFIX>")]
    [Description("The zips' folder in the bucket")]
    public string? Prefix { get; init; }

    [CommandOption("--region <REGION>")]
    [Description("The region to name in ARNs; default: any (*)")]
    public string? Region { get; init; }

    [CommandOption("--account <ACCOUNT_ID>")]
    [Description("The account to name in ARNs; default: any (*)")]
    public string? Account { get; init; }

    [CommandOption("--environment <ENV>")]
    [Description("The template's Environment parameter, as `deploy --environment` sets it")]
    public string? Environment { get; init; }

    [CommandOption("--parameter-overrides <KEY=VALUE>")]
    [Description("A template parameter, as deploy gets it (repeatable)")]
    public string[] ParameterOverrides { get; init; } = [];

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(StackName)) return ValidationResult.Error("--stack-name is required: the policy names the stack");
        if (Account is { } a && !System.Text.RegularExpressions.Regex.IsMatch(a, @"^\d{12}$")) return ValidationResult.Error($"--account '{a}' is not a 12-digit account ID");
        foreach (var pair in ParameterOverrides)
            if (!pair.Contains('=', StringComparison.Ordinal) || pair.StartsWith('=')) return ValidationResult.Error($"'{pair}' is not KEY=VALUE");
        return base.Validate();
    }
}
