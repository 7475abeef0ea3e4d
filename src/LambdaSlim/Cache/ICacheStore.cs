namespace LambdaSlim.Cache;

/// <summary>
/// A shared store of finished build outputs, each one file under a hex key. Every entry records the sha256 of its
/// bytes; a get verifies them, so a corrupted or partial entry is a miss (with a warning), and the next put of that key
/// replaces it. A store that cannot be reached is never an error for the build: it warns once and from then on behaves
/// as empty (or, when only writes are refused, as read-only).
/// </summary>
public interface ICacheStore : IDisposable
{
    CacheLocation Location { get; }

    /// <summary>False once the store has warned that it cannot be reached: gets miss and puts do nothing.</summary>
    bool Readable { get; }

    /// <summary>False once a write was refused (or the store cannot be reached): puts do nothing.</summary>
    bool Writable { get; }

    /// <summary>
    /// Copies the entry's file to <paramref name="destination"/> (atomically: the file is whole or not there) and
    /// returns true; false on a miss, a corrupted entry, or a store that cannot be reached.
    /// </summary>
    Task<bool> TryGetAsync(CacheKey key, string destination, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="source"/> under the key, replacing what was there. False when it was not stored.</summary>
    Task<bool> PutAsync(CacheKey key, string source, CancellationToken cancellationToken = default);

    /// <summary>Every entry, oldest first; empty when the store cannot be reached.</summary>
    Task<IReadOnlyList<CacheEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the entry; false when it could not be removed.</summary>
    Task<bool> DeleteAsync(CacheKey key, CancellationToken cancellationToken = default);
}
