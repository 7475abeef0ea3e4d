using System.ComponentModel;
using System.Diagnostics;
using LambdaSlim.Build;
using LambdaSlim.Cli.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class BuildSettingsCli : InstallSettings
{
    [CommandArgument(0, "[PROJECT_DIR]")]
    [Description("Folder that holds the SAM template. Default: the current folder")]
    public string ProjectDir { get; init; } = ".";

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
    public string Audit { get; init; } = "error";

    [CommandOption("--repair")]
    [Description("Put back files a failing import needed, and vendor missing shared libraries into lib/")]
    public bool Repair { get; init; }

    [CommandOption("--clean")]
    [Description("Reinstall everything instead of reusing cached installs; the last build stays in place until the new one is complete")]
    public bool Clean { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("text (default) or json: the report on stdout")]
    [DefaultValue("text")]
    public string Format { get; init; } = "text";

    public override Spectre.Console.ValidationResult Validate()
    {
        if (LayersOnly && FunctionsOnly) return Spectre.Console.ValidationResult.Error("--layers-only and --functions-only exclude each other: pass one");
        if (Audit is not ("error" or "warn" or "off")) return Spectre.Console.ValidationResult.Error($"--audit '{Audit}' is not a mode: use error, warn or off");
        if (Format is not ("text" or "json")) return Spectre.Console.ValidationResult.Error($"--format '{Format}' is not known: use text or json");
        return base.Validate();
    }
}

/// <summary>`lambdaslim build`: parses options, runs the pipeline, prints the summary, returns the exit code.</summary>
public sealed class BuildCommand(Consoles consoles) : AsyncCommand<BuildSettingsCli>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BuildSettingsCli settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir,
            TemplatePath = settings.Template,
            Scope = settings.LayersOnly ? BuildScope.LayersOnly : settings.FunctionsOnly ? BuildScope.FunctionsOnly : BuildScope.All,
            Clean = settings.Clean,
            SkipValidation = settings.SkipValidation,
            Repair = settings.Repair,
            Audit = Enum.Parse<AuditMode>(settings.Audit, ignoreCase: true),
            Settings = settings.ToBuildSettings(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose,
            observer => BuildPipeline.RunAsync(request, observer, cancellationToken)).ConfigureAwait(false);
        return BuildOutput.Print(consoles, result, settings.Format, clock.Elapsed, settings.Verbose);
    }
}
