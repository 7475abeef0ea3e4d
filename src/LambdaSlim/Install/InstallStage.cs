using LambdaSlim.IO;
using LambdaSlim.Sources;
using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Install;

/// <summary>What layers and functions share before packaging: choosing the user's own files, and the pip install with progress.</summary>
internal static class InstallStage
{
    /// <summary>
    /// Installs what <paramref name="request"/> asks for, or reuses the install of the same inputs: installs are
    /// content-addressed under work/installs/, so resources with the same requirements (with the files they include),
    /// runtime, architecture and pip options share one folder, installed once. The folder is read-only input for the
    /// later stages: pruning, stripping and bytecode write their results elsewhere. <paramref name="resourceWork"/>
    /// records which install the resource uses, for `layers status` and for functions that assume a built layer.
    /// Returns the install's folder.
    /// </summary>
    internal static async Task<string> RunAsync(InstallContext context, InstallRequest request, string resourceWork, CancellationToken cancellationToken)
    {
        var key = request.Fingerprint()[..32];
        var site = Path.Combine(context.Paths.Installs, key);
        var shared = context.Installs.GetOrAdd(key, _ => new SharedInstall(request.Owner,
            new Lazy<Task>(() => PipAsync(context, request, site, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication)));
        if (shared.Owner != request.Owner)
            context.Observer.Info($"{request.Owner}: same requirements, runtime and architecture as {shared.Owner}, so it uses that install");
        await shared.Install.Value.ConfigureAwait(false);
        var previous = context.Paths.InstallOf(resourceWork);
        WriteBoundary.CreateDirectory(resourceWork);
        await AtomicFile.WriteAllTextAsync(Path.Combine(resourceWork, BuildPaths.InstallPointerFile), key + "\n", cancellationToken).ConfigureAwait(false);
        // Installs made before they were shared lived in the resource's own folder.
        WriteBoundary.DeleteDirectory(Path.Combine(resourceWork, BuildPaths.LegacyInstallFolder));
        RemoveIfUnused(context.Paths, previous, context.Installs.ContainsKey);
        return site;
    }

    /// <summary>The resource no longer installs anything (its requirements file is gone): forget its install.</summary>
    internal static void Forget(InstallContext context, string resourceWork)
    {
        var previous = context.Paths.InstallOf(resourceWork);
        WriteBoundary.DeleteFile(Path.Combine(resourceWork, BuildPaths.InstallPointerFile));
        WriteBoundary.DeleteDirectory(Path.Combine(resourceWork, BuildPaths.LegacyInstallFolder));
        RemoveIfUnused(context.Paths, previous, context.Installs.ContainsKey);
    }

    /// <summary>
    /// Deletes a shared install that neither this build nor any resource's last build uses, so an edited
    /// requirements file does not leave its old install behind for good.
    /// </summary>
    internal static void RemoveIfUnused(BuildPaths paths, string site, Func<string, bool>? usedByThisBuild = null)
    {
        // Installs finish side by side: two resources leaving the same install must not both delete it.
        lock (Removing)
        {
            var key = Path.GetFileName(site);
            if (Path.GetDirectoryName(site) != paths.Installs || !Directory.Exists(site) || usedByThisBuild?.Invoke(key) == true) return;
            var inUse = new[] { "layers", "functions" }.Select(kind => Path.Combine(paths.Work, kind)).Where(Directory.Exists)
                .SelectMany(Directory.EnumerateDirectories)
                .Any(work => Path.GetFileName(paths.InstallOf(work)) == key);
            if (!inUse) WriteBoundary.DeleteDirectory(site);
        }
    }

    private static readonly Lock Removing = new();

    private static async Task PipAsync(InstallContext context, InstallRequest request, string site, CancellationToken cancellationToken)
    {
        if (RequirementsFiles.ListsNothing(request.RequirementsFile))
        {
            // Only comments and blank lines: there is nothing to install, so pip does not run.
            await PipInstaller.InstallAsync(request, site, NoProgress.Instance, context.ForceInstall, cancellationToken).ConfigureAwait(false);
            return;
        }
        using var step = context.Observer.Step($"Installing {request.Owner} for {request.Runtime} {request.Architecture.ToLambdaName()}");
        var ran = await PipInstaller.InstallAsync(request, site, step, context.ForceInstall, cancellationToken).ConfigureAwait(false);
        step.Status(ran ? $"{request.Owner}: installed" : $"{request.Owner}: requirements unchanged, using the cached install");
    }

    private sealed class NoProgress : IProgressStep
    {
        public static readonly NoProgress Instance = new();
        public void Report(long done, string? status = null) { }
        public void Status(string status) { }
        public void Dispose() { }
    }

    /// <summary>
    /// The user's own files of a CodeUri or ContentUri. Credential files are left out and warned about; a secret
    /// inside any other file fails the build (exit 1), since leaving that file out would break the code; a link
    /// out of the folder is skipped with a warning, or fails the build (exit 3) with --strict-links.
    /// The template's top-level <c>include:</c> and <c>allow-secrets:</c> globs apply before the resource's own.
    /// </summary>
    internal static SourceSelection CollectSources(InstallContext context, string owner, string folder, LambdaSlimSettings settings, string? linkBoundary = null)
    {
        var defaults = context.Project.Defaults;
        var allow = defaults.GetList("include").Concat(defaults.GetList("allow-secrets"))
            .Concat(settings.GetList("include")).Concat(settings.GetList("allow-secrets"))
            .Select(g => new Glob(g)).ToList();
        var selection = SourceFiles.Collect(folder, allow, linkBoundary);
        string Shown(string rel) => ProjectRelative(context, folder, rel);

        foreach (var link in selection.SkippedLinks)
        {
            if (link.LeadsOut && context.StrictLinks)
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
    internal static IReadOnlyList<LeftOutFile>? LeftOutReport(InstallContext context, string folder, SourceSelection selection) =>
        selection.LeftOut.Count == 0 ? null : selection.LeftOut.Select(s => new LeftOutFile(ProjectRelative(context, folder, s.RelativePath), s.Reason)).ToList();

    private static string ProjectRelative(InstallContext context, string folder, string rel) =>
        Path.GetRelativePath(context.Project.ProjectDir, Path.Combine(folder, rel)).Replace('\\', '/');
}

