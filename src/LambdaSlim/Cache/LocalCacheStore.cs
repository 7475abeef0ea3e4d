using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LambdaSlim.IO;

namespace LambdaSlim.Cache;

/// <summary>
/// The cache in a folder: each entry is one file named <c>&lt;key&gt;.&lt;sha256 of its bytes&gt;</c>, so the name
/// and the bytes arrive together in one rename, and a get checks one against the other. Writes go through
/// <see cref="AtomicFile"/>, so the folder must be allowed by the caller's <see cref="WriteBoundary"/> scope.
/// </summary>
public sealed partial class LocalCacheStore(CacheLocation.Local location, IBuildObserver observer) : ICacheStore
{
    private readonly Lock _lock = new();
    private bool _readOnlyWarned;

    public CacheLocation Location => location;
    public bool Readable { get; private set; } = true;
    public bool Writable { get; private set; } = true;

    public async Task<bool> TryGetAsync(CacheKey key, string destination, CancellationToken cancellationToken = default)
    {
        if (!Readable) return false;
        string? file;
        FileStream source;
        try
        {
            file = Files(key).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
            if (file is null) return false;
            source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            return false; // pruned or replaced while we looked
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Unreadable(e);
            return false;
        }
        var expected = Path.GetExtension(file)[1..];
        try
        {
            await using (source)
                await AtomicFile.WriteAsync(destination, async target =>
                {
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                    if (actual != expected) throw new CorruptEntryException(actual);
                }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CorruptEntryException corrupt)
        {
            observer.Warn($"cache entry {key} in {location} is corrupted (its bytes hash to {corrupt.Actual[..12]}, not {expected[..12]}): it is removed and rebuilt");
            TryDelete(file);
            return false;
        }
    }

    public async Task<bool> PutAsync(CacheKey key, string source, CancellationToken cancellationToken = default)
    {
        if (!Writable) return false;
        var sha = await CacheHash.OfFileAsync(source, cancellationToken).ConfigureAwait(false);
        try
        {
            var target = Path.Combine(location.Directory, $"{key.Value}.{sha}");
            // Written again even when an entry of that name is there: its bytes may be what went bad.
            await AtomicFile.WriteAsync(target, async s =>
            {
                await using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                await from.CopyToAsync(s, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            foreach (var stale in Files(key).Where(f => f != target)) TryDelete(stale);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lock (_lock)
            {
                Writable = false;
                if (_readOnlyWarned) return false;
                _readOnlyWarned = true;
            }
            observer.Warn($"cannot write to the cache {location} ({FirstLine(e.Message)}): it is read-only for this run");
            return false;
        }
    }

    public Task<IReadOnlyList<CacheEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!Readable) return Task.FromResult<IReadOnlyList<CacheEntry>>([]);
        try
        {
            return Task.FromResult(List());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Unreadable(e);
            return Task.FromResult<IReadOnlyList<CacheEntry>>([]);
        }
    }

    private IReadOnlyList<CacheEntry> List()
    {
        IReadOnlyList<CacheEntry> entries = !Directory.Exists(location.Directory) ? [] :
            [.. Directory.EnumerateFiles(location.Directory)
                .Select(f => (File: f, Match: EntryName().Match(Path.GetFileName(f))))
                .Where(f => f.Match.Success)
                .Select(f => new FileInfo(f.File))
                .Where(f => f.Exists)
                .Select(f => new CacheEntry(new CacheKey(f.Name[..f.Name.IndexOf('.', StringComparison.Ordinal)]), f.Length, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))
                .OrderBy(e => e.Stored).ThenBy(e => e.Key.Value, StringComparer.Ordinal)];
        return entries;
    }

    public Task<bool> DeleteAsync(CacheKey key, CancellationToken cancellationToken = default)
    {
        var all = true;
        foreach (var file in Files(key)) all &= TryDelete(file);
        return Task.FromResult(all);
    }

    public void Dispose() { }

    private IEnumerable<string> Files(CacheKey key) =>
        !Directory.Exists(location.Directory) ? [] :
        Directory.EnumerateFiles(location.Directory, key.Value + ".*")
            .Where(f => EntryName().Match(Path.GetFileName(f)) is { Success: true } m && m.Groups[1].Value == key.Value);

    /// <summary>A folder we may not read (permissions, a file in its place) is a cache that cannot be reached: one warning.</summary>
    private void Unreadable(Exception e)
    {
        lock (_lock)
        {
            if (!Readable) return;
            Readable = false;
            Writable = false;
        }
        observer.Warn($"the cache {location} cannot be read ({FirstLine(e.Message)}): building without it");
    }

    private static bool TryDelete(string file)
    {
        try
        {
            WriteBoundary.DeleteFile(file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim().TrimEnd('.');

    [GeneratedRegex("^([0-9a-f]{16,128})\\.([0-9a-f]{64})$")]
    private static partial Regex EntryName();

    private sealed class CorruptEntryException(string actual) : Exception("corrupted cache entry")
    {
        public string Actual { get; } = actual;
    }
}
