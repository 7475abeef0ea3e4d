using System.ComponentModel;
using System.Text.Json;
using LambdaSlim.Audit;
using LambdaSlim.Build;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using LambdaSlim.Report;
using LambdaSlim.Validate;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class AuditSettings : InstallSettings
{
    [CommandArgument(0, "[PROJECT_DIR|ZIP|LAYER_ARN]")]
    [Description("Folder that holds the SAM template (default: the current folder), or a layer or function zip, or a layer version ARN, to audit on its own")]
    public string Target { get; init; } = ".";

    [CommandOption("--runtime <RUNTIME>")]
    [Description("For a zip or layer ARN: the runtime it will run on, e.g. python3.12 (required)")]
    public string? Runtime { get; init; }

    [CommandOption("--arch <ARCH>")]
    [Description("For a zip or layer ARN: x86_64 (default) or arm64")]
    public string? Arch { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("text (default) or json")]
    [DefaultValue("text")]
    public string Format { get; init; } = "text";

    [CommandOption("--repair")]
    [Description("Build again (installing with the pip options given), vendor missing shared libraries from this machine into the layer's lib/, audit again, and write the zips")]
    public bool Repair { get; init; }

    /// <summary>A zip file or a layer ARN rather than a project folder.</summary>
    public bool IsStandalone => IsArn || (!Directory.Exists(Target) && (File.Exists(Target) || Target.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)));

    public bool IsArn => Target.StartsWith("arn:", StringComparison.Ordinal);

    public override ValidationResult Validate()
    {
        if (Format is not ("text" or "json")) return ValidationResult.Error($"--format '{Format}' is not known: use text or json");
        if (Runtime is not null && !PythonRuntime.TryParse(Runtime, out _))
            return ValidationResult.Error($"--runtime '{Runtime}' is not a Python Lambda runtime: use python3.{PythonRuntime.OldestMinor}..python3.{PythonRuntime.NewestMinor}");
        if (Arch is not null && Arch is not ("x86_64" or "arm64")) return ValidationResult.Error($"--arch '{Arch}' is not a Lambda architecture: use x86_64 or arm64");
        if (IsStandalone)
        {
            if (Runtime is null) return ValidationResult.Error($"--runtime is required to audit {Target} on its own, e.g. --runtime python3.12");
            if (Repair) return ValidationResult.Error("--repair works on a project: build its layers with 'lambdaslim build --repair'");
        }
        else if (Runtime is not null || Arch is not null)
        {
            return ValidationResult.Error("--runtime and --arch are for a zip or layer ARN: a project's functions and layers take theirs from the template");
        }
        return base.Validate();
    }
}

/// <summary>
/// `lambdaslim audit`: proves every native binary of what was built (or of any layer or function zip) will load on
/// its Lambda runtime. It reads the zips as they are and installs nothing; only --repair builds again.
/// </summary>
public sealed class AuditCommand(Consoles consoles) : AsyncCommand<AuditSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AuditSettings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<Finding> findings;
        if (settings.Repair)
            findings = await RepairAsync(settings, cancellationToken).ConfigureAwait(false);
        else if (settings.IsArn)
            findings = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, async o =>
                Messages(await LayerDownload.AuditAsync(settings.Target, settings.Runtime!, settings.Arch ?? "x86_64", o, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        else if (settings.IsStandalone)
            findings = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o =>
                Task.FromResult(Messages(ZipAudit.RunOne(settings.Target, Path.GetFileName(settings.Target), settings.Runtime!, settings.Arch ?? "x86_64", o)))).ConfigureAwait(false);
        else
        {
            var paths = new BuildPaths(ProjectLoader.Load(settings.Target, settings.Template).ProjectDir);
            findings = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o => Task.FromResult(Messages(CommittedBuildAudit.Run(paths, o)))).ConfigureAwait(false);
        }

        var writer = consoles.Out.Profile.Out.Writer;
        if (settings.Format == "json")
            writer.WriteLine(JsonSerializer.Serialize(findings.Select(f => new { severity = f.Severity.ToString().ToLowerInvariant(), artifact = f.Subject, message = f.Message }), BuildReport.Json));
        else if (findings.Count == 0)
            writer.WriteLine(settings.IsStandalone
                ? $"audit passed: every native binary will load on {settings.Runtime} {settings.Arch ?? "x86_64"}"
                : "audit passed: every native binary will load on its Lambda runtime");
        else
            foreach (var group in findings.GroupBy(f => f.Subject))
            {
                writer.WriteLine($"{group.Key}: {group.Count()} finding{(group.Count() == 1 ? "" : "s")}");
                foreach (var f in group) writer.WriteLine($"  {f.Message}");
            }
        return findings.Any(f => f.Severity == Severity.Error) ? (int)ExitCode.ValidationFailed : (int)ExitCode.Ok;
    }

    /// <summary>Findings as the build reports them: the artifact, then the problem and its fix.</summary>
    private static IReadOnlyList<Finding> Messages(ZipAuditResult result) =>
        result.Findings.Select(f => new Finding(Severity.Error, f.Artifact, $"{f.Problem}: {f.Fix}", "audit")).ToList();

    /// <summary>--repair changes what is shipped, so it is a build: it installs (with the pip options given), vendors, audits again and writes the zips.</summary>
    private async Task<IReadOnlyList<Finding>> RepairAsync(AuditSettings settings, CancellationToken cancellationToken)
    {
        var paths = new BuildPaths(ProjectLoader.Load(settings.Target, settings.Template).ProjectDir);
        if (File.Exists(paths.Report)) CommittedBuild.Load(paths);
        var request = new BuildRequest
        {
            ProjectDir = settings.Target, TemplatePath = settings.Template, Verify = false,
            WriteArtifacts = true, Repair = true, Settings = settings.ToBuildSettings(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o => BuildPipeline.RunAsync(request, o, cancellationToken)).ConfigureAwait(false);
        return result.Findings.Where(f => f.Severity != Severity.Info).ToList();
    }
}
