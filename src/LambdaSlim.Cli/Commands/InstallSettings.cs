using System.ComponentModel;
using LambdaSlim.Pipeline;
using LambdaSlim.Install;
using LambdaSlim.Package;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>Where pip finds packages and how zips are compressed: shared by every command that builds.</summary>
public class InstallSettings : AwsSettings
{
    [CommandOption("--find-links <URL_OR_DIR>")]
    [Description("Also look for wheels here (repeatable); passed to pip")]
    public string[] FindLinks { get; init; } = [];

    [CommandOption("--index-url <URL>")]
    [Description("Package index to use instead of PyPI; passed to pip")]
    public string? IndexUrl { get; init; }

    [CommandOption("--extra-index-url <URL>")]
    [Description("Extra package index (repeatable); passed to pip")]
    public string[] ExtraIndexUrls { get; init; } = [];

    [CommandOption("--no-index")]
    [Description("Use only --find-links; never ask an index")]
    public bool NoIndex { get; init; }

    [CommandOption("--platform <TAG>")]
    [Description("Extra wheel platform tag to accept (repeatable), e.g. linux_x86_64 for wheels built on a Lambda-compatible image")]
    public string[] Platforms { get; init; } = [];

    [CommandOption("--python <PATH>")]
    [Description("Interpreter whose pip runs the installs (or LAMBDASLIM_PYTHON). Default: a CPython of the runtime's version with pip 23+ when found, else python3 on PATH")]
    public string? Python { get; init; }

    [CommandOption("--python-for <VERSION=PATH>")]
    [Description("CPython to use for a runtime's version (repeatable), e.g. 3.14=/opt/python3.14/bin/python3.14: compiles bytecode, verifies imports and runs pip for it. Default: python3.X on PATH, pyenv, uv")]
    public string[] PythonFor { get; init; } = [];

    [CommandOption("--compression <LEVEL>")]
    [Description("optimal (default), smallest (for zips near the 50 MB direct-upload limit) or fastest")]
    [DefaultValue("optimal")]
    [TypeConverter(typeof(LowercaseEnumConverter<ZipCompression>))]
    public ZipCompression Compression { get; init; } = ZipCompression.Optimal;

    [CommandOption("--strict-links")]
    [Description("Fail (exit 3) on a symbolic link that leads out of its CodeUri or ContentUri, instead of skipping it with a warning")]
    public bool StrictLinks { get; init; }

    public BuildSettings ToBuildSettings() => new()
    {
        StrictLinks = StrictLinks,
        PythonFor = LambdaSlim.Runtimes.PythonFinder.ParseOptions(PythonFor),
        Pip = new PipOptions
        {
            FindLinks = FindLinks.Select(l => l.Contains("://", StringComparison.Ordinal) ? l : Path.GetFullPath(l)).ToList(),
            IndexUrl = IndexUrl,
            ExtraIndexUrls = ExtraIndexUrls,
            NoIndex = NoIndex,
            ExtraPlatforms = Platforms,
            Python = Python,
        },
        Compression = Compression,
    };
}
