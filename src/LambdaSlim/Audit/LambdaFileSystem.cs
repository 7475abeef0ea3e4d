namespace LambdaSlim.Audit;

/// <summary>A file where Lambda puts it: layers under /opt, the function under /var/task.</summary>
internal sealed record DeployedFile(AuditFile File, string LambdaPath, bool InFunction);

/// <summary>
/// The deployment as the Lambda file system will hold it, so library lookups can follow $ORIGIN and the search
/// path exactly as the loader does.
/// </summary>
internal sealed class LambdaFileSystem
{
    public const string TaskRoot = "/var/task";
    public const string LayerRoot = "/opt";

    private readonly Dictionary<string, DeployedFile> _byPath = new(StringComparer.Ordinal);
    private readonly List<string> _artifacts = [];

    public LambdaFileSystem(IReadOnlyList<AuditFile> files, string? functionArtifact)
    {
        foreach (var file in files)
        {
            if (!_artifacts.Contains(file.Artifact)) _artifacts.Add(file.Artifact);
            var inFunction = file.Artifact == functionArtifact;
            var path = Normalize((inFunction ? TaskRoot : LayerRoot) + "/" + file.ArchivePath.TrimStart('/'));
            // Layers extract in order into one /opt: a later layer's file replaces an earlier one's.
            if (!inFunction || !_byPath.ContainsKey(path)) _byPath[path] = new DeployedFile(file, path, inFunction);
        }
    }

    /// <summary>The files that exist on Lambda (an overwritten layer file does not), in the order given.</summary>
    public IEnumerable<DeployedFile> Visible => _byPath.Values;

    public int ArtifactOrder(string artifact) => _artifacts.IndexOf(artifact);

    public DeployedFile? Find(string lambdaPath) => _byPath.GetValueOrDefault(Normalize(lambdaPath));

    public static bool IsDeploymentFolder(string dir) =>
        dir == TaskRoot || dir.StartsWith(TaskRoot + "/", StringComparison.Ordinal) || dir == LayerRoot || dir.StartsWith(LayerRoot + "/", StringComparison.Ordinal);

    public static string Directory(string path) => path[..Math.Max(path.LastIndexOf('/'), 1)];

    /// <summary>Resolves "." and ".." the way the kernel does for a path with no symlinks.</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
