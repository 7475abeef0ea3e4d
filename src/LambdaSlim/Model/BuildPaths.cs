namespace LambdaSlim.Model;

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
    public string Report => Path.Combine(Output, BuildReport.FileName);
    public string Template => Path.Combine(Output, "template.yaml");

    /// <summary>pip's installs, each in a folder named by its inputs' fingerprint, shared by the resources with the same inputs.</summary>
    public string Installs => Path.Combine(Work, "installs");
    public string LayerWork(string id) => Path.Combine(Work, "layers", FileStem(id));
    public string FunctionWork(string id) => Path.Combine(Work, "functions", FileStem(id));

    /// <summary>The install the layer's last build used (a folder that does not exist when none).</summary>
    public string LayerInstall(string id) => InstallOf(LayerWork(id));
    public string FunctionInstall(string id) => InstallOf(FunctionWork(id));

    /// <summary>The file in a resource's work folder that names the shared install it uses.</summary>
    public const string InstallPointerFile = "install";

    /// <summary>Where installs lived before they were shared: the resource's own work folder.</summary>
    public const string LegacyInstallFolder = "site";

    /// <summary>The install a resource's last build used; a folder that does not exist when it has none.</summary>
    public string InstallOf(string resourceWork)
    {
        var pointer = Path.Combine(resourceWork, InstallPointerFile);
        var key = File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : "";
        return key.Length > 0 && key.All(char.IsAsciiHexDigitLower) ? Path.Combine(Installs, key) : Path.Combine(resourceWork, LegacyInstallFolder);
    }
    /// <summary>Where `make build-&lt;LogicalId&gt;` runs for a makefile resource, and its ARTIFACTS_DIR in there.</summary>
    public string MakeWork(string id) => Path.Combine(Work, "make", FileStem(id));
    public string MakeArtifacts(string id) => Path.Combine(MakeWork(id), "artifacts");

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
