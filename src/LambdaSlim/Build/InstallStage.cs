using LambdaSlim.Install;
using LambdaSlim.Package;
using LambdaSlim.Project;

namespace LambdaSlim.Build;

/// <summary>What layers and functions share before packaging: the pip install with progress, and reporting skipped secrets.</summary>
internal static class InstallStage
{
    internal static async Task InstallAsync(BuildContext context, InstallRequest request, string site, CancellationToken cancellationToken)
    {
        using var step = context.Observer.Step($"Installing {request.Owner} for {request.Runtime} {request.Architecture.ToLambdaName()}");
        var ran = await PipInstaller.InstallAsync(request, site, step, context.Settings.ForceInstall, cancellationToken).ConfigureAwait(false);
        step.Status(ran ? $"{request.Owner}: installed" : $"{request.Owner}: requirements unchanged, using the cached install");
    }

    internal static void ReportSecrets(BuildContext context, string owner, IReadOnlyList<SkippedSecret> secrets)
    {
        foreach (var s in secrets)
            context.Observer.Warn($"{owner}: left out {s.RelativePath} ({s.Reason}); list it under 'Metadata: LambdaSlim: include:' if it must ship");
    }
}
