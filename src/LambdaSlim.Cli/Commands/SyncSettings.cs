using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class SyncSettings : InstallSettings
{
    [CommandArgument(0, "[FUNCTION]")]
    [Description("The function to sync, by logical ID, or all (default): its layers come along")]
    public string? Function { get; init; }

    [CommandOption("--stack-name <NAME>")]
    [Description("The deployed stack whose functions and layers are updated (required)")]
    public string? StackName { get; init; }

    [CommandOption("--s3-bucket <BUCKET>")]
    [Description("Where zips over the 50 MB direct-upload limit go; default: lambdaslim-artifacts-ACCOUNT-REGION")]
    public string? Bucket { get; init; }

    [CommandOption("--s3-prefix <PREFIX>")]
    [Description("A folder in the bucket for those zips")]
    public string? Prefix { get; init; }

    [CommandOption("--skip-build")]
    [Description("Sync what is built now instead of building first")]
    public bool SkipBuild { get; init; }

    [CommandOption("--no-metrics")]
    [Description("Do not put the PackageSize metric (Lambda/Optimization) to CloudWatch after a sync that changed something")]
    public bool NoMetrics { get; init; }

    [CommandOption("--watch")]
    [Description("Keep running: rebuild and sync whenever a file under a CodeUri or ContentUri changes (Ctrl-C stops)")]
    public bool Watch { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(StackName)) return ValidationResult.Error("--stack-name is required: the deployed stack to sync");
        if (Watch && SkipBuild) return ValidationResult.Error("--watch builds on every change: leave out --skip-build");
        return base.Validate();
    }
}
