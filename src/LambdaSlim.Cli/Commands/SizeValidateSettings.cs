using System.ComponentModel;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class SizeValidateSettings : SizeSettings
{
    [CommandOption("--target <WHAT>")]
    [Description("layers, functions or all (default)")]
    [DefaultValue("all")]
    [TypeConverter(typeof(LowercaseEnumConverter<SizeTarget>))]
    public SizeTarget Target { get; init; } = SizeTarget.All;
}
