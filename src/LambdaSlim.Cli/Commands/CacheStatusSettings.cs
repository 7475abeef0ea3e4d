using System.ComponentModel;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`cache status`: the cache, and how to print what it holds.</summary>
public sealed class CacheStatusSettings : CacheSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("text (default) or json")]
    [DefaultValue("text")]
    [TypeConverter(typeof(LowercaseEnumConverter<OutputFormat>))]
    public OutputFormat Format { get; init; } = OutputFormat.Text;
}
