using System.Security.Cryptography;
using System.Text;

namespace LambdaSlim.Cache;

/// <summary>
/// Builds a stage's cache key from everything that can change its output, one named part at a time. Every part is
/// written with its length, so no two different lists of parts hash alike.
/// </summary>
public sealed class KeyBuilder
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <param name="purpose">What the key is for ("artifact", "audit", "verify"), so keys of different stages never meet.</param>
    public KeyBuilder(string purpose) => Add("purpose", purpose);

    public KeyBuilder Add(string name, string? value)
    {
        foreach (var part in new[] { name, value ?? "\0null" })
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            _hash.AppendData(BitConverter.GetBytes(bytes.Length));
            _hash.AppendData(bytes);
        }
        return this;
    }

    public KeyBuilder Add(string name, IEnumerable<string> values)
    {
        var list = values.ToList();
        Add(name, list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var v in list) Add(name, v);
        return this;
    }

    public CacheKey Build() => new(Convert.ToHexStringLower(_hash.GetHashAndReset()));
}
