using LambdaSlim.Install;
using LambdaSlim.Package;
using LambdaSlim.Project;

namespace LambdaSlim.Pipeline;

/// <summary>Where a project's build inputs are cached and its outputs go, under &lt;project&gt;/.lambdaslim/.</summary>
public sealed record BuildPaths(string ProjectDir)
{
    /// <summary>Staged outputs are folders named so under <see cref="Root"/> until they are committed.</summary>
    public const string StagingPrefix = "build.staging-";

    public string Root => Path.Combine(ProjectDir, ".lambdaslim");
    public string Work => Path.Combine(Root, "work");

    /// <summary>The committed build (what `sam deploy -t` reads), or a staged one that is not yet (see <see cref="Staged"/>).</summary>
    public string Output { get; init; } = Path.Combine(ProjectDir, ".lambdaslim", "build");

    /// <summary>The same layout in a fresh folder beside the committed build, swapped in whole when complete.</summary>
    public BuildPaths Staged() => this with { Output = Path.Combine(Root, $"{StagingPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..(StagingPrefix.Length + 16)]) };
    public string Report => Path.Combine(Output, LambdaSlim.Report.BuildReport.FileName);
    public string Template => Path.Combine(Output, "template.yaml");

    /// <summary>pip's installs, each in a folder named by its inputs' fingerprint, shared by the resources with the same inputs.</summary>
    public string Installs => Path.Combine(Work, "installs");
    public string LayerWork(string id) => Path.Combine(Work, "layers", FileStem(id));
    public string FunctionWork(string id) => Path.Combine(Work, "functions", FileStem(id));

    /// <summary>The install the layer's last build used (a folder that does not exist when none).</summary>
    public string LayerInstall(string id) => InstallStage.SiteOf(this, LayerWork(id));
    public string FunctionInstall(string id) => InstallStage.SiteOf(this, FunctionWork(id));
    public string LayerZip(string id) => Path.Combine(Output, LayerZipRelative(id));
    public string FunctionZip(string id) => Path.Combine(Output, FunctionZipRelative(id));
    public static string LayerZipRelative(string id) => $"layers/{FileStem(id)}.zip";
    public static string FunctionZipRelative(string id) => $"functions/{FileStem(id)}.zip";

    /// <summary>
    /// A logical ID as a file name. IDs are letters and digits (the loader refuses others), but may be 255 long, more
    /// than a file name can hold with ".zip" and a temporary suffix: long ones are cut and made unique by a hash.
    /// </summary>
    public static string FileStem(string id) => id.Length <= MaxStem ? id
        : $"{id[..(MaxStem - 17)]}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))[..16]}";

    private const int MaxStem = 120;
}

public sealed record BuildSettings
{
    public PipOptions Pip { get; init; } = new();
    public ZipCompression Compression { get; init; } = ZipCompression.Optimal;

    /// <summary>Reinstall even when the cached install has the same inputs.</summary>
    public bool ForceInstall { get; init; }

    /// <summary>A symbolic link that leads out of its CodeUri or ContentUri fails the build instead of being skipped with a warning.</summary>
    public bool StrictLinks { get; init; }

    /// <summary>Interpreters to use for a Python version (--python-for 3.14=PATH), before searching PATH, pyenv and uv.</summary>
    public IReadOnlyDictionary<string, string> PythonFor { get; init; } = new Dictionary<string, string>();
}

public sealed record BuildContext(ProjectModel Project, BuildPaths Paths, BuildSettings Settings, IBuildObserver Observer)
{
    /// <summary>The installs of this build by fingerprint: the same inputs are installed once.</summary>
    internal SharedInstalls Installs { get; } = new();
}
