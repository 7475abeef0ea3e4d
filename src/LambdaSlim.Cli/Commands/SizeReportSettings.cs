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
