using System.ComponentModel;
using LambdaSlim.Pipeline;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class BuildSettingsCli : InstallSettings
{
    [CommandArgument(0, "[PROJECT_DIR]")]
    [Description("Deprecated: use -p/--project")]
    public string? ProjectArgument { get; init; }

    public override string ProjectDir => Project ?? ProjectArgument ?? ".";

    [CommandOption("--layers-only")]
    [Description("Build only the layers")]
    public bool LayersOnly { get; init; }

    [CommandOption("--functions-only")]
    [Description("Build only the functions (the layers must be built)")]
    public bool FunctionsOnly { get; init; }

    [CommandOption("--skip-validation")]
    [Description("Do not fail on AWS limits")]
    public bool SkipValidation { get; init; }

    [CommandOption("--audit <MODE>")]
    [Description("error (default): native binaries that won't load on Lambda fail the build; warn: report them; off")]
    [DefaultValue("error")]
    [TypeConverter(typeof(LowercaseEnumConverter<AuditMode>))]
    public AuditMode Audit { get; init; } = AuditMode.Error;

    [CommandOption("--repair")]
    [Description("Put back files a failing import needed, and vendor missing shared libraries into lib/")]
    public bool Repair { get; init; }

    [CommandOption("--clean")]
    [Description("Reinstall everything instead of reusing cached installs; the last build stays in place until the new one is complete")]
    public bool Clean { get; init; }

    [CommandOption("--no-cache")]
    [Description("Prune, compile, audit, verify and zip every artifact again, even those unchanged since the last build (installs are still reused; --clean redoes those too)")]
    public bool NoCache { get; init; }

    [CommandOption("--cache <DIR|S3_URI>")]
    [Description("Share finished layers and check results through this cache: a folder or s3://bucket/prefix (else $LAMBDASLIM_CACHE, else the template's Metadata: LambdaSlim: cache:, else none)")]
    public string? Cache { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("text (default) or json: the report on stdout")]
    [DefaultValue("text")]
    [TypeConverter(typeof(LowercaseEnumConverter<OutputFormat>))]
    public OutputFormat Format { get; init; } = OutputFormat.Text;

    public override Spectre.Console.ValidationResult Validate()
    {
        if (LayersOnly && FunctionsOnly) return Spectre.Console.ValidationResult.Error("--layers-only and --functions-only exclude each other: pass one");
        if (Project is not null && ProjectArgument is not null) return Spectre.Console.ValidationResult.Error($"the project folder is given twice ({ProjectArgument} and -p {Project}): pass -p DIR only");
        return base.Validate();
    }
}
