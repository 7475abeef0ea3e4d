using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using LambdaSlim.IO;

namespace LambdaSlim.Cache;

/// <summary>
/// The sha256 of files, remembered between builds by path, size and modification time (as make and git decide what
/// changed), so an incremental build reads only the files that changed. Kept in one JSON file in the work folder.
/// </summary>
public sealed class FileHashes
{
    private sealed record Entry(long Size, long Ticks, string Sha256);

    private readonly string _file;
    private readonly ConcurrentDictionary<string, Entry> _known;
    private int _changed;

    private FileHashes(string file, ConcurrentDictionary<string, Entry> known)
    {
        _file = file;
        _known = known;
    }

    /// <summary>Opens the remembered hashes at <paramref name="file"/>; a missing or damaged file remembers nothing.</summary>
    public static FileHashes Open(string file)
    {
        var known = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        try
        {
            if (File.Exists(file) && JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(file)) is { } saved)
                foreach (var (path, entry) in saved) known[path] = entry;
        }
        catch (JsonException) { }
        return new FileHashes(file, known);
    }

    /// <summary>The file's sha256 in lowercase hex.</summary>
    public string Of(string path)
    {
        var info = new FileInfo(path);
        var (size, ticks) = (info.Length, info.LastWriteTimeUtc.Ticks);
        if (_known.TryGetValue(path, out var e) && e.Size == size && e.Ticks == ticks) return e.Sha256;
        string sha;
        using (var stream = File.OpenRead(path)) sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        _known[path] = new Entry(size, ticks, sha);
        Interlocked.Exchange(ref _changed, 1);
        return sha;
    }

    /// <summary>Writes what was learned, when anything was, keeping only the files hashed in this build.</summary>
    public async Task SaveAsync(IReadOnlySet<string>? keepOnly, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _changed, 0) == 0) return;
        var kept = _known.Where(p => keepOnly is null || keepOnly.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);
        await AtomicFile.WriteAllTextAsync(_file, JsonSerializer.Serialize(kept), cancellationToken).ConfigureAwait(false);
    }
}
