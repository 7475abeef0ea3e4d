using System.ComponentModel;
using System.Text.Json;
using LambdaSlim.Build;
using LambdaSlim.Cli.Console;
using LambdaSlim.Coldstart;
using LambdaSlim.IO;
using LambdaSlim.Project;
using LambdaSlim.Report;
using LambdaSlim.Validate;
using Spectre.Console;
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
