namespace LambdaSlim.Model;

/// <summary>One file of an artifact: its path in the zip, where its bytes come from, and who put it there.</summary>
public sealed record ContentEntry(string ArchivePath, string Source, Distribution? Owner, bool Installed)
{
    public long Size => new FileInfo(Source).Length;
}

/// <summary>
/// What goes into one zip: each archive path mapped to its source file, and the distribution that owns it.
/// Files are never copied to a staging folder; the zip reads them where pip and the user put them.
/// </summary>
public sealed class ArtifactContents
{
    private readonly SortedDictionary<string, ContentEntry> _files = new(StringComparer.Ordinal);

    public ArtifactContents(string installPrefix = "") => InstallPrefix = installPrefix;

    /// <summary>Where installed packages sit in the zip: "python/" in a layer, "" in a function.</summary>
    public string InstallPrefix { get; }

    public IReadOnlyCollection<string> Paths => _files.Keys;
    public IEnumerable<ContentEntry> Entries => _files.Values;
    public int Count => _files.Count;

    public bool Contains(string archivePath) => _files.ContainsKey(archivePath);

    /// <summary>Adds a file; returns false (and keeps the existing one) when the path is already taken.</summary>
    public bool TryAdd(string archivePath, string sourcePath, Distribution? owner = null, bool installed = false) =>
        _files.TryAdd(archivePath, new ContentEntry(archivePath, sourcePath, owner, installed));

    public void Remove(string archivePath) => _files.Remove(archivePath);

    /// <summary>Points an entry at other bytes (a stripped shared object), keeping its path and owner.</summary>
    public void Replace(string archivePath, string newSource) => _files[archivePath] = _files[archivePath] with { Source = newSource };

    public ArtifactContents Clone()
    {
        var copy = new ArtifactContents(InstallPrefix);
        foreach (var (k, v) in _files) copy._files[k] = v;
        return copy;
    }

    /// <summary>
    /// Adds everything pip installed under <paramref name="root"/> at the install prefix, except the given distributions
    /// and the install's own bookkeeping files (<paramref name="notShipped"/>, paths relative to the root).
    /// </summary>
    public IReadOnlyList<string> AddInstall(string root, IReadOnlyList<Distribution> distributions, ISet<string> leaveOut, IReadOnlySet<string> notShipped)
    {
        var owner = new Dictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var d in distributions)
            foreach (var f in d.Files) owner.TryAdd(f, d);
        var collisions = new List<string>();
        if (!Directory.Exists(root)) return collisions;
        foreach (var full in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, full).Replace('\\', '/');
            if (notShipped.Contains(rel)) continue;
            var dist = owner.GetValueOrDefault(rel);
            if (dist is not null && leaveOut.Contains(dist.NormalizedName)) continue;
            if (!TryAdd(InstallPrefix + rel, full, dist, installed: true)) collisions.Add(InstallPrefix + rel);
        }
        return collisions;
    }

    public long UnzippedBytes => _files.Values.Sum(e => e.Size);

    public IReadOnlyList<DistributionSize> DistributionSizes() =>
        _files.Values.Where(v => v.Owner is not null)
            .GroupBy(v => v.Owner!.NormalizedName)
            .Select(g => new DistributionSize(g.First().Owner!.Name, g.First().Owner!.Version, g.Sum(v => v.Size)))
            .OrderByDescending(d => d.UnzippedBytes).ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
}
