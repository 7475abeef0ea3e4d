namespace LambdaSlim.Cache;

/// <summary>One entry as a listing shows it: its key, its size, and when it was stored.</summary>
public sealed record CacheEntry(CacheKey Key, long Bytes, DateTimeOffset Stored);
