using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Cli.Commands;

public sealed class AuditSettings : InstallSettings
{
    [CommandArgument(0, "[ZIP|LAYER_ARN]")]
    [Description("A layer or function zip, or a layer version ARN, to audit on its own. Without it, the project's last build (-p) is audited")]
    public string? Target { get; init; }

    [CommandOption("--runtime <RUNTIME>")]
    [Description("For a zip or layer ARN: the runtime it will run on, e.g. python3.12 (required)")]
    public string? Runtime { get; init; }

    [CommandOption("--arch <ARCH>")]
    [Description("For a zip or layer ARN: x86_64 (default) or arm64")]
    public string? Arch { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("text (default) or json")]
    [DefaultValue("text")]
    [TypeConverter(typeof(LowercaseEnumConverter<OutputFormat>))]
    public OutputFormat Format { get; init; } = OutputFormat.Text;

    [CommandOption("--repair")]
    [Description("Build again (installing with the pip options given), vendor missing shared libraries from this machine into the layer's lib/, audit again, and write the zips")]
    public bool Repair { get; init; }

    /// <summary>A zip file or a layer ARN rather than a project folder.</summary>
    public bool IsStandalone => Target is not null && (IsArn || (!Directory.Exists(Target) && (File.Exists(Target) || Target.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))));

    public bool IsArn => Target?.StartsWith("arn:", StringComparison.Ordinal) == true;

    /// <summary>The project folder given the old way, as the argument (deprecated: -p DIR).</summary>
    public string? ProjectArgument => Target is not null && !IsStandalone ? Target : null;

    public override string ProjectDir => Project ?? ProjectArgument ?? ".";

    /// <summary>--runtime as the engine takes it (set when a zip or ARN is audited on its own; <see cref="Validate"/> has checked it).</summary>
    public PythonRuntime TargetRuntime => PythonRuntimes.Parse(Runtime, "--runtime");

    /// <summary>--arch as the engine takes it: x86_64 unless given.</summary>
    public Architecture TargetArchitecture => Arch is null ? Architecture.X86_64 : Architectures.Parse(Arch, "--arch");

    /// <summary>Exactly "x86_64" or "arm64", as Lambda spells them.</summary>
    private static bool IsLambdaArchitecture(string arch) => Architectures.TryParse(arch, out var a) && a.ToLambdaName() == arch;

    public override ValidationResult Validate()
    {
        if (Project is not null && Target is not null)
            return ValidationResult.Error(IsStandalone
                ? $"{Target} is audited on its own, without a project: drop -p {Project}"
                : $"the project folder is given twice ({Target} and -p {Project}): pass -p DIR only");
        if (Runtime is not null && !PythonRuntimes.TryParse(Runtime, out _))
            return ValidationResult.Error($"--runtime '{Runtime}' is not a Python Lambda runtime: use {PythonRuntimes.Range}");
        if (Arch is not null && !IsLambdaArchitecture(Arch)) return ValidationResult.Error($"--arch '{Arch}' is not a Lambda architecture: use x86_64 or arm64");
        if (IsStandalone)
        {
            if (Runtime is null) return ValidationResult.Error($"--runtime is required to audit {Target} on its own, e.g. --runtime python3.12");
            if (Repair) return ValidationResult.Error("--repair works on a project: build its layers with 'lambdaslim build --repair'");
        }
        else if (Runtime is not null || Arch is not null)
        {
            return ValidationResult.Error("--runtime and --arch are for a zip or layer ARN: a project's functions and layers take theirs from the template");
        }
        return base.Validate();
    }
}
