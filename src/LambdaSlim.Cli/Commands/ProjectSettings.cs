using System.ComponentModel;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>What every command takes: the project folder (-p), the template (-t) and --verbose.</summary>
public class ProjectSettings : CommandSettings
{
    [CommandOption("-p|--project <DIR>")]
    [Description("Folder that holds the SAM template. Default: the current folder")]
    public string? Project { get; init; }

    [CommandOption("-t|--template <FILE>")]
    [Description("The SAM template, as a path from the current folder (as sam build -t). Default: template.yaml in the project folder")]
    public string? Template { get; init; }

    [CommandOption("-v|--verbose")]
    [Description("Show every step, pip's output and stack traces")]
    public bool Verbose { get; init; }

    /// <summary>The project folder: -p/--project, or (for one release) the folder given the old way, as an argument.</summary>
    public virtual string ProjectDir => Project ?? ".";
}
