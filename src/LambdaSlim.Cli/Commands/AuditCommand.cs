using System.ComponentModel;
using System.Text.Json;
using LambdaSlim.Build;
using LambdaSlim.Cli.Console;
using LambdaSlim.Report;
using LambdaSlim.Validate;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class AuditSettings : InstallSettings
{
    [CommandArgument(0, "[PROJECT_DIR]")]
    [Description("Folder that holds the SAM template. Default: the current folder")]
    public string ProjectDir { get; init; } = ".";

    [CommandOption("--format <FORMAT>")]
    [Description("text (default) or json")]
    [DefaultValue("text")]
    public string Format { get; init; } = "text";

    [CommandOption("--repair")]
    [Description("Vendor missing shared libraries from this machine into the layer's lib/, audit again, and write the zips")]
    public bool Repair { get; init; }

    public override ValidationResult Validate() =>
        Format is "text" or "json" ? base.Validate() : ValidationResult.Error($"--format '{Format}' is not known: use text or json");
}

/// <summary>`lambdaslim audit`: proves every native binary of what the build ships will load on its Lambda runtime.</summary>
public sealed class AuditCommand(Consoles consoles) : AsyncCommand<AuditSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AuditSettings settings, CancellationToken cancellationToken)
    {
        // The audit looks at what a build would ship; a committed build that no longer matches its report is refused first.
        var paths = new BuildPaths(Project.ProjectLoader.Load(settings.ProjectDir, settings.Template).ProjectDir);
        if (File.Exists(paths.Report)) CommittedBuild.Load(paths);
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir, TemplatePath = settings.Template, Verify = false,
            WriteArtifacts = settings.Repair, Repair = settings.Repair, Settings = settings.ToBuildSettings(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o => BuildPipeline.RunAsync(request, o, cancellationToken)).ConfigureAwait(false);
        var findings = result.Findings.Where(f => f.Severity != Severity.Info).ToList();
        var writer = consoles.Out.Profile.Out.Writer;
        if (settings.Format == "json")
            writer.WriteLine(JsonSerializer.Serialize(findings.Select(f => new { severity = f.Severity.ToString().ToLowerInvariant(), artifact = f.Subject, message = f.Message }), BuildReport.Json));
        else if (findings.Count == 0)
            writer.WriteLine("audit passed: every native binary will load on its Lambda runtime");
        else
            foreach (var group in findings.GroupBy(f => f.Subject))
            {
                writer.WriteLine($"{group.Key}: {group.Count()} finding{(group.Count() == 1 ? "" : "s")}");
                foreach (var f in group) writer.WriteLine($"  {f.Message}");
            }
        return findings.Any(f => f.Severity == Severity.Error) ? (int)ExitCode.ValidationFailed : (int)ExitCode.Ok;
    }
}
