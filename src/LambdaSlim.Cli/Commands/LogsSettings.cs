using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class LogsSettings : ProjectSettings
{
    [CommandArgument(0, "<FUNCTION>")]
    [Description("The function: its logical ID in the stack's template (with --stack-name), or its name in Lambda")]
    public string Function { get; init; } = "";

    [CommandOption("--stack-name <NAME>")]
    [Description("The stack whose function FUNCTION names; without it FUNCTION is the function's name in Lambda")]
    public string? StackName { get; init; }

    [CommandOption("--tail")]
    [Description("Keep reading new events as they arrive, until Ctrl+C")]
    public bool Tail { get; init; }

    [CommandOption("--filter <PATTERN>")]
    [Description("A CloudWatch Logs filter pattern: ERROR, \"Task timed out\", ?ERROR ?WARN")]
    public string? Filter { get; init; }

    [CommandOption("--since <WHEN>")]
    [Description("From when: a duration back from now (30s, 10m, 1h, 2d, 1w) or a time (2026-11-30T08:00:00Z)")]
    [DefaultValue("10m")]
    public string Since { get; init; } = "10m";

    [CommandOption("--cold-starts")]
    [Description("Summarise the init duration of the cold starts since --since, beside the local `lambdaslim coldstart` measurement")]
    public bool ColdStarts { get; init; }

    [CommandOption("--region <REGION>")]
    [Description("AWS region; else AWS_REGION, AWS_DEFAULT_REGION, the profile's region")]
    public string? Region { get; init; }

    [CommandOption("--profile <PROFILE>")]
    [Description("A profile of ~/.aws/config and ~/.aws/credentials")]
    public string? Profile { get; init; }

    [CommandOption("--endpoint-url <URL>")]
    [Description("Send every AWS call here (LocalStack, moto); else AWS_ENDPOINT_URL")]
    public string? EndpointUrl { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Function)) return ValidationResult.Error("FUNCTION is required: a logical ID (with --stack-name) or a function's name");
        if (ColdStarts && Tail) return ValidationResult.Error("--cold-starts summarises past invocations; it does not go with --tail");
        if (ColdStarts && Filter is not null) return ValidationResult.Error("--cold-starts reads the REPORT lines itself; it does not go with --filter");
        return base.Validate();
    }
}
