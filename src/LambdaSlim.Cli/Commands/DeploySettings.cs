using System.ComponentModel;
using LambdaSlim.Pipeline;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class DeploySettings : InstallSettings
{
    [CommandOption("--stack-name <NAME>")]
    [Description("The CloudFormation stack to create or update (required)")]
    public string? StackName { get; init; }

    [CommandOption("--s3-bucket <BUCKET>")]
    [Description("Where the zips go; default: lambdaslim-artifacts-ACCOUNT-REGION, created on first use (versioned, encrypted, not public)")]
    public string? Bucket { get; init; }

    [CommandOption("--s3-prefix <PREFIX>")]
    [Description("A folder in the bucket for the zips")]
    public string? Prefix { get; init; }

    [CommandOption("--no-execute")]
    [Description("Create the change set and show it, but do not execute it")]
    public bool NoExecute { get; init; }

    [CommandOption("--enable-rollback")]
    [Description("Keep this deploy's release when it succeeds, so that `lambdaslim rollback` can return to it after the next one")]
    public bool EnableRollback { get; init; }

    [CommandOption("--no-metrics")]
    [Description("Do not put the PackageSize metric (Lambda/Optimization) to CloudWatch after the deploy")]
    public bool NoMetrics { get; init; }

    [CommandOption("--skip-build")]
    [Description("Deploy what is built now instead of building first")]
    public bool SkipBuild { get; init; }

    [CommandOption("--skip-layer-build")]
    [Description("Build the functions only and reuse the layers already built (the seed's flag)")]
    public bool SkipLayerBuild { get; init; }

    [CommandOption("--skip-size-validation")]
    [Description("Build without failing on AWS limits and import verification (the seed's flag)")]
    public bool SkipSizeValidation { get; init; }

    [CommandOption("--audit <MODE>")]
    [Description("For the build: error (default), warn or off")]
    [DefaultValue("error")]
    [TypeConverter(typeof(LowercaseEnumConverter<AuditMode>))]
    public AuditMode Audit { get; init; } = AuditMode.Error;

    [CommandOption("--parameter-overrides <KEY=VALUE>")]
    [Description("A template parameter (repeatable)")]
    public string[] ParameterOverrides { get; init; } = [];

    [CommandOption("--environment <ENV>")]
    [Description("The seed's flag: sets the template's Environment parameter (when it has one) and tags the stack environment=ENV")]
    public string? Environment { get; init; }

    [CommandOption("--tags <KEY=VALUE>")]
    [Description("A stack tag (repeatable)")]
    public string[] Tags { get; init; } = [];

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(StackName)) return ValidationResult.Error("--stack-name is required: the stack to create or update");
        foreach (var pair in ParameterOverrides.Concat(Tags))
            if (!pair.Contains('=', StringComparison.Ordinal) || pair.StartsWith('='))
                return ValidationResult.Error($"'{pair}' is not KEY=VALUE");
        return base.Validate();
    }

    public static Dictionary<string, string> Pairs(IEnumerable<string> pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
