using System.ComponentModel;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class LayerSettings : InstallSettings
{
    [CommandArgument(0, "[LAYER]")]
    [Description("A layer's logical ID, LayerName or folder name, or 'all' (default)")]
    public string Layer { get; init; } = "all";

    [CommandOption("--clean")]
    [Description("Reinstall even when requirements are unchanged")]
    public bool Clean { get; init; }

    [CommandOption("--repair")]
    [Description("validate: when pruning broke an import, put back the files it needed and verify again")]
    public bool Repair { get; init; }
}
