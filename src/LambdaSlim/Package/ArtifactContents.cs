using LambdaSlim.Install;
using LambdaSlim.Report;

namespace LambdaSlim.Package;

/// <summary>
/// What goes into one zip: each archive path mapped to its source file, and the distribution that owns it.
/// Files are never copied to a staging folder; the zip reads them where pip and the user put them.
/// </summary>
public sealed class ArtifactContents
{
    private readonly SortedDictionary<string, (string Source, Distribution? Owner)> _files = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Paths => _files.Keys;
    public int Count => _files.Count;

    /// <summary>Adds a file; returns false (and keeps the existing one) when the path is already taken.</summary>
    public bool TryAdd(string archivePath, string sourcePath, Distribution? owner = null) =>
        _files.TryAdd(archivePath, (sourcePath, owner));

    /// <summary>Adds everything pip installed under <paramref name="root"/> at <paramref name="prefix"/>, except the given distributions.</summary>
    public IReadOnlyList<string> AddInstall(string root, string prefix, IReadOnlyList<Distribution> distributions, ISet<string> leaveOut)
    {
        var owner = new Dictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var d in distributions)
            foreach (var f in d.Files) owner.TryAdd(f, d);
        var collisions = new List<string>();
        if (!Directory.Exists(root)) return collisions;
        foreach (var full in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, full).Replace('\\', '/');
            if (rel == PipInstaller.FingerprintFile || rel.Contains("__pycache__/", StringComparison.Ordinal)) continue;
            var dist = owner.GetValueOrDefault(rel);
            if (dist is not null && leaveOut.Contains(dist.NormalizedName)) continue;
            if (!TryAdd(prefix + rel, full, dist)) collisions.Add(prefix + rel);
        }
        return collisions;
    }

    public IReadOnlyList<ZipEntrySource> ZipEntries() => _files.Select(kv => new ZipEntrySource(kv.Key, kv.Value.Source)).ToList();

    public IReadOnlyList<DistributionSize> DistributionSizes() =>
        _files.Values.Where(v => v.Owner is not null)
            .GroupBy(v => v.Owner!.NormalizedName)
            .Select(g => new DistributionSize(g.First().Owner!.Name, g.First().Owner!.Version, g.Sum(v => new FileInfo(v.Source).Length)))
            .OrderByDescending(d => d.UnzippedBytes).ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
}
