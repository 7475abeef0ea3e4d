namespace LambdaSlim.Cache;

/// <summary>Opens the store a <see cref="CacheLocation"/> names, and small helpers every caller of a store needs.</summary>
public static class CacheStore
{
    /// <summary>
    /// The store for <paramref name="location"/>. Warnings (a store that cannot be reached, a corrupted entry) go to
    /// <paramref name="observer"/>. <paramref name="environment"/> supplies AWS_* variables (the process's by default).
    /// </summary>
    public static ICacheStore Open(CacheLocation location, IBuildObserver observer, Func<string, string?>? environment = null, S3CacheOptions? s3Options = null) =>
        location switch
        {
            CacheLocation.Local local => new LocalCacheStore(local, observer),
            CacheLocation.S3 s3 => new S3CacheStore(s3, observer, environment ?? Environment.GetEnvironmentVariable, s3Options ?? S3CacheOptions.Default),
            _ => throw new ArgumentOutOfRangeException(nameof(location)),
        };

    /// <summary>A small entry (a JSON result, say) as bytes, or null on a miss.</summary>
    public static async Task<byte[]?> TryGetBytesAsync(this ICacheStore store, CacheKey key, string scratchDirectory, CancellationToken cancellationToken = default)
    {
        var file = Path.Combine(scratchDirectory, $".cache-get-{Guid.NewGuid():N}");
        try
        {
            return await store.TryGetAsync(key, file, cancellationToken).ConfigureAwait(false)
                ? await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false)
                : null;
        }
        finally
        {
            IO.WriteBoundary.DeleteFile(file);
        }
    }

    /// <summary>Stores a small entry given as bytes.</summary>
    public static async Task<bool> PutBytesAsync(this ICacheStore store, CacheKey key, ReadOnlyMemory<byte> bytes, string scratchDirectory, CancellationToken cancellationToken = default)
    {
        var file = Path.Combine(scratchDirectory, $".cache-put-{Guid.NewGuid():N}");
        try
        {
            await IO.AtomicFile.WriteAsync(file, s => s.WriteAsync(bytes, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
            return await store.PutAsync(key, file, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            IO.WriteBoundary.DeleteFile(file);
        }
    }
}
