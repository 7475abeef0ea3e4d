using LambdaSlim.Install;
using LambdaSlim.Package;
using LambdaSlim.Project;
using LambdaSlim.Report;

namespace LambdaSlim.Build;

/// <summary>What layers and functions share before packaging: choosing the user's own files, and the pip install with progress.</summary>
internal static class InstallStage
{
    internal static async Task InstallAsync(BuildContext context, InstallRequest request, string site, CancellationToken cancellationToken)
    {
        using var step = context.Observer.Step($"Installing {request.Owner} for {request.Runtime} {request.Architecture.ToLambdaName()}");
        var ran = await PipInstaller.InstallAsync(request, site, step, context.Settings.ForceInstall, cancellationToken).ConfigureAwait(false);
        step.Status(ran ? $"{request.Owner}: installed" : $"{request.Owner}: requirements unchanged, using the cached install");
    }

    /// <summary>
    /// The user's own files of a CodeUri or ContentUri. Credential files are left out and warned about; a secret
    /// inside any other file fails the build (exit 1), since leaving that file out would break the code; a link
    /// out of the folder is skipped with a warning, or fails the build (exit 3) with --strict-links.
    /// The template's top-level <c>include:</c> and <c>allow-secrets:</c> globs apply before the resource's own.
    /// </summary>
    internal static SourceSelection CollectSources(BuildContext context, string owner, string folder, LambdaSlimSettings settings, string? linkBoundary = null)
    {
        var defaults = context.Project.Defaults;
        var allow = defaults.GetList("include").Concat(defaults.GetList("allow-secrets"))
            .Concat(settings.GetList("include")).Concat(settings.GetList("allow-secrets"))
            .Select(g => new Glob(g)).ToList();
        var selection = SourceFiles.Collect(folder, allow, linkBoundary);
        string Shown(string rel) => ProjectRelative(context, folder, rel);

        foreach (var link in selection.SkippedLinks)
        {
            if (link.LeadsOut && context.Settings.StrictLinks)
                throw LambdaSlimException.Input($"{owner}: the link {Shown(link.RelativePath)} -> {link.Target} {link.Why}",
                    "replace the link with a copy of what it points to, or build without --strict-links to skip it with a warning");
            context.Observer.Warn($"{owner}: skipped the link {Shown(link.RelativePath)} -> {link.Target}: it {link.Why}");
        }
        foreach (var s in selection.LeftOut)
            context.Observer.Warn($"{owner}: left out {Shown(s.RelativePath)} ({s.Reason}); list it under 'Metadata: LambdaSlim: allow-secrets:' if it must ship");
        foreach (var s in selection.AllowedSecrets)
            context.Observer.Info($"{owner}: ships {Shown(s.RelativePath)} ({s.Reason}) because the template allows it");
        if (selection.SecretsInCode.Count > 0)
        {
            var first = selection.SecretsInCode[0];
            var more = selection.SecretsInCode.Count > 1
                ? $" (and {string.Join(", ", selection.SecretsInCode.Skip(1).Select(s => $"{Shown(s.RelativePath)}:{s.Line}"))})"
                : "";
            throw new LambdaSlimException(ExitCode.ValidationFailed,
                $"{owner}: {Shown(first.RelativePath)}:{first.Line} holds {first.What}{more}",
                "move it to Secrets Manager/SSM or an environment variable, or list the file under 'Metadata: LambdaSlim: allow-secrets:' to ship it");
        }
        return selection;
    }

    /// <summary>The credential files left out, as report.json lists them (paths relative to the project), or null when none.</summary>
    internal static IReadOnlyList<LeftOutFile>? LeftOutReport(BuildContext context, string folder, SourceSelection selection) =>
        selection.LeftOut.Count == 0 ? null : selection.LeftOut.Select(s => new LeftOutFile(ProjectRelative(context, folder, s.RelativePath), s.Reason)).ToList();

    private static string ProjectRelative(BuildContext context, string folder, string rel) =>
        Path.GetRelativePath(context.Project.ProjectDir, Path.Combine(folder, rel)).Replace('\\', '/');
}
