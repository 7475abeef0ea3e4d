using System.Text.RegularExpressions;

namespace LambdaSlim.Cache;

/// <summary>
/// The name of one cache entry: lowercase hex (a hash the pipeline computes from a stage's inputs). Only hex, so a key
/// can never name a path outside the cache or an S3 key outside its prefix.
/// </summary>
public readonly partial record struct CacheKey
{
    public string Value { get; }

    public CacheKey(string value)
    {
        if (!Hex().IsMatch(value))
            throw new ArgumentException($"a cache key is 16 to 128 lowercase hex digits, not '{value}'", nameof(value));
        Value = value;
    }

    public static bool TryParse(string value, out CacheKey key)
    {
        key = Hex().IsMatch(value) ? new CacheKey(value) : default;
        return key.Value is not null;
    }

    public override string ToString() => Value;

    [GeneratedRegex("^[0-9a-f]{16,128}$")]
    private static partial Regex Hex();
}
