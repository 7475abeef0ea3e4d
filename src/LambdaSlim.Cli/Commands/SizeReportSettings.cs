using System.ComponentModel;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class SizeReportSettings : SizeSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("text (default), json, markdown or html")]
    [DefaultValue("text")]
    [TypeConverter(typeof(LowercaseEnumConverter<ReportFormat>))]
    public ReportFormat Format { get; init; } = ReportFormat.Text;

    [CommandOption("-o|--output <FILE>")]
    [Description("Write the report here (html defaults to .lambdaslim/build/size-report.html)")]
    public string? Output { get; init; }
}
