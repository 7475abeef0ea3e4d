using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class ColdStartSettings : ProjectSettings
{
    [CommandArgument(0, "[FUNCTION]")]
    [Description("A function's logical ID, or 'all' (default)")]
    public string Function { get; init; } = "all";

    [CommandOption("--runs <N>")]
    [Description("Fresh interpreters per measurement (default 5)")]
    [DefaultValue(5)]
    public int Runs { get; init; } = 5;

    [CommandOption("--python-for <VERSION=PATH>")]
    [Description("CPython to measure with for a runtime's version (repeatable), e.g. 3.12=/opt/python3.12/bin/python3.12, as build takes it")]
    public string[] PythonFor { get; init; } = [];

    [CommandOption("--event <FILE>")]
    [Description("Also invoke the handler once with this event")]
    public string? Event { get; init; }

    public override ValidationResult Validate() =>
        Runs < 1 ? ValidationResult.Error("--runs must be at least 1") :
        Event is not null && !File.Exists(Event) ? ValidationResult.Error($"--event file not found: {Event}") : base.Validate();
}
