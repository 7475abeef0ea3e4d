using System.ComponentModel;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class PlanSettings : InstallSettings
{
    [CommandArgument(0, "[PROJECT_DIR]")]
    [Description("The project folder (the same as -p/--project)")]
    public string? ProjectArgument { get; init; }

    public override string ProjectDir => Project ?? ProjectArgument ?? ".";

    [CommandOption("--write")]
    [Description("Apply the plan to the template (layers, functions' Layers, requirements files), keeping comments; the old files are kept under .lambdaslim/plan-backup/")]
    public bool Write { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("text (default), json or markdown")]
    [DefaultValue("text")]
    [TypeConverter(typeof(LowercaseEnumConverter<PlanFormat>))]
    public PlanFormat Format { get; init; } = PlanFormat.Text;

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Project is not null && ProjectArgument is not null) return Spectre.Console.ValidationResult.Error($"the project folder is given twice ({ProjectArgument} and -p {Project}): pass one");
        return base.Validate();
    }
}
