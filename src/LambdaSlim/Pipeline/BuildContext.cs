using LambdaSlim.Install;
using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

public sealed record BuildContext(ProjectModel Project, BuildPaths Paths, BuildSettings Settings, IBuildObserver Observer)
{
    /// <summary>What preparing layers and functions reads (one per build: it holds the build's shared installs).</summary>
    public InstallContext Install { get; } = new(Project, Paths, Settings.Pip, Settings.ForceInstall, Settings.StrictLinks, Observer);
}
