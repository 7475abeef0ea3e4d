using LambdaSlim.Install;
using LambdaSlim.Package;
using LambdaSlim.Project;

namespace LambdaSlim.Build;

/// <summary>Where a project's build inputs are cached and its outputs go, under &lt;project&gt;/.lambdaslim/.</summary>
public sealed record BuildPaths(string ProjectDir)
{
    public string Root => Path.Combine(ProjectDir, ".lambdaslim");
    public string Work => Path.Combine(Root, "work");
    public string Output => Path.Combine(Root, "build");
    public string Report => Path.Combine(Output, LambdaSlim.Report.BuildReport.FileName);
    public string Template => Path.Combine(Output, "template.yaml");

    public string LayerInstall(string id) => Path.Combine(Work, "layers", id, "site");
    public string FunctionInstall(string id) => Path.Combine(Work, "functions", id, "site");
    public string LayerZip(string id) => Path.Combine(Output, "layers", id + ".zip");
    public string FunctionZip(string id) => Path.Combine(Output, "functions", id + ".zip");
    public static string LayerZipRelative(string id) => $"layers/{id}.zip";
    public static string FunctionZipRelative(string id) => $"functions/{id}.zip";
}

public sealed record BuildSettings
{
    public PipOptions Pip { get; init; } = new();
    public ZipCompression Compression { get; init; } = ZipCompression.Optimal;

    /// <summary>Reinstall even when the cached install has the same inputs.</summary>
    public bool ForceInstall { get; init; }

    /// <summary>A symbolic link that leads out of its CodeUri or ContentUri fails the build instead of being skipped with a warning.</summary>
    public bool StrictLinks { get; init; }
}

public sealed record BuildContext(ProjectModel Project, BuildPaths Paths, BuildSettings Settings, IBuildObserver Observer);
