using LambdaSlim.Model;
using LambdaSlim.Project;

namespace LambdaSlim.Install;

/// <summary>What preparing layers and functions reads besides the resource itself: the project, where the build works, pip's options, and the observer.</summary>
/// <param name="ForceInstall">Reinstall even when the cached install has the same inputs.</param>
/// <param name="StrictLinks">A symbolic link that leads out of its CodeUri or ContentUri fails the build instead of being skipped with a warning.</param>
public sealed record InstallContext(ProjectModel Project, BuildPaths Paths, PipOptions Pip, bool ForceInstall, bool StrictLinks, IBuildObserver Observer)
{
    /// <summary>The installs of this build by fingerprint: the same inputs are installed once.</summary>
    internal SharedInstalls Installs { get; } = new();
}
