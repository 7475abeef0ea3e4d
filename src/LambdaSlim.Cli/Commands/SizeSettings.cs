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

/// <summary>What the size commands take: the project whose last build they read.</summary>
public class SizeSettings : ProjectSettings;
