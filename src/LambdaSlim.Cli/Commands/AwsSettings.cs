using System.ComponentModel;
using LambdaSlim.Aws;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// How a command talks to AWS: every command that deploys, or builds and so measures layers given by ARN, takes the
/// same three options and gets the same credential chain, timeouts and retries.
/// </summary>
public class AwsSettings : ProjectSettings
{
    [CommandOption("--region <REGION>")]
    [Description("AWS region; else AWS_REGION, AWS_DEFAULT_REGION, the profile's region. A layer given by ARN is looked up in the ARN's region")]
    public string? Region { get; init; }

    [CommandOption("--profile <PROFILE>")]
    [Description("A profile of ~/.aws/config and ~/.aws/credentials (SSO and assume-role included)")]
    public string? Profile { get; init; }

    [CommandOption("--endpoint-url <URL>")]
    [Description("Send every AWS call here (LocalStack, moto); else AWS_ENDPOINT_URL")]
    public string? EndpointUrl { get; init; }

    public AwsOptions ToAwsOptions() => AwsOptions.Default with { Profile = Profile, Region = Region, EndpointUrl = EndpointUrl };
}
