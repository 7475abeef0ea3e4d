using System.Text.Json;
using LambdaSlim.Audit;
using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using LambdaSlim.Validate;
using Spectre.Console;
using Spectre.Console.Cli;
using LambdaSlim.Model;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// `lambdaslim audit`: proves every native binary of what was built (or of any layer or function zip) will load on
/// its Lambda runtime. It reads the zips as they are and installs nothing; only --repair builds again.
/// </summary>
public sealed class AuditCommand(Consoles consoles) : AsyncCommand<AuditSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AuditSettings settings, CancellationToken cancellationToken)
    {
        if (settings.ProjectArgument is { } dir) DeprecatedForm.ProjectArgument(consoles, "audit", dir);
        // A zip or ARN audited on its own names its runtime and architecture on the command line: read them once, here.
        var (runtime, architecture) = settings.IsStandalone ? (settings.TargetRuntime, settings.TargetArchitecture) : (null, Architecture.X86_64);
        IReadOnlyList<Finding> findings;
        if (settings.Repair)
            findings = await RepairAsync(settings, cancellationToken).ConfigureAwait(false);
        else if (settings.IsArn)
            findings = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, async o =>
                Messages(await LayerDownload.AuditAsync(settings.Target!, runtime!, architecture, o, cancellationToken, settings.ToAwsOptions()).ConfigureAwait(false))).ConfigureAwait(false);
        else if (settings.IsStandalone)
            findings = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o =>
                Task.FromResult(Messages(ZipAudit.RunOne(settings.Target!, Path.GetFileName(settings.Target!), runtime!, architecture, o)))).ConfigureAwait(false);
        else
        {
            var paths = new BuildPaths(ProjectLoader.Load(settings.ProjectDir, settings.Template).ProjectDir);
            findings = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o => Task.FromResult(Messages(CommittedBuildAudit.Run(paths, o)))).ConfigureAwait(false);
        }

        var writer = consoles.Out.Profile.Out.Writer;
        if (settings.Format == OutputFormat.Json)
            writer.WriteLine(JsonSerializer.Serialize(findings.Select(f => new { severity = f.Severity.ToString().ToLowerInvariant(), artifact = f.Subject, message = f.Message }), BuildReport.Json));
        else if (findings.Count == 0)
            writer.WriteLine(settings.IsStandalone
                ? $"audit passed: every native binary will load on {runtime} {architecture.ToLambdaName()}"
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
        var paths = new BuildPaths(ProjectLoader.Load(settings.ProjectDir, settings.Template).ProjectDir);
        if (File.Exists(paths.Report)) CommittedBuild.Load(paths);
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir, TemplatePath = settings.Template, Verify = false,
            WriteArtifacts = true, Repair = true, Settings = settings.ToBuildSettings(), Aws = settings.ToAwsOptions(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o => BuildPipeline.RunAsync(request, o, cancellationToken)).ConfigureAwait(false);
        return result.Findings.Where(f => f.Severity != Severity.Info).ToList();
    }
}
