using System.Diagnostics;
using LambdaSlim.Cli.Console;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// The build `deploy` and `sync` run before they touch AWS (unless --skip-build): incremental, so an unchanged project
/// costs a fraction of a second; its findings are printed, and a non-zero code stops the command.
/// </summary>
internal static class BuildFirst
{
    public static async Task<int> RunAsync(Consoles consoles, InstallSettings settings, CancellationToken cancellationToken,
        BuildScope scope = BuildScope.All, bool skipValidation = false, AuditMode audit = AuditMode.Error)
    {
        var clock = Stopwatch.StartNew();
        var build = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, observer => BuildPipeline.RunAsync(new BuildRequest
        {
            ProjectDir = settings.ProjectDir,
            TemplatePath = settings.Template,
            Scope = scope,
            SkipValidation = skipValidation,
            Audit = audit,
            Settings = settings.ToBuildSettings(),
            Aws = settings.ToAwsOptions(),
        }, observer, cancellationToken)).ConfigureAwait(false);
        return BuildOutput.PrintFindings(consoles, BuildOutput.Condense(build.Findings, settings.Verbose),
            build.Unchanged ? "nothing changed since the last build" : $"built in {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
