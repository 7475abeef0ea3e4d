using System.Globalization;
using System.Text.RegularExpressions;

namespace LambdaSlim.Cache;

/// <summary>
/// Which entries `cache prune` removes: every one stored before <c>now - olderThan</c>, then, oldest first, as many as
/// it takes to bring the total down to <c>maxBytes</c>.
/// </summary>
public static partial class CachePrunePlan
{
    public static IReadOnlyList<CacheEntry> Choose(IReadOnlyList<CacheEntry> entries, long? maxBytes, TimeSpan? olderThan, DateTimeOffset now)
    {
        var oldestFirst = entries.OrderBy(e => e.Stored).ThenBy(e => e.Key.Value, StringComparer.Ordinal).ToList();
        var remove = new List<CacheEntry>();
        var total = oldestFirst.Sum(e => e.Bytes);
        foreach (var e in oldestFirst)
        {
            var tooOld = olderThan is { } age && e.Stored < now - age;
            var tooBig = maxBytes is { } max && total > max;
            if (!tooOld && !tooBig) continue;
            remove.Add(e);
            total -= e.Bytes;
        }
        return remove;
    }

    /// <summary>"5GB", "500 MB", "2GiB" or plain bytes, as --max-size takes it.</summary>
    public static long ParseSize(string value)
    {
        var m = Size().Match(value);
        if (!m.Success)
            throw new LambdaSlimException(ExitCode.Usage, $"--max-size '{value}' is not a size", "write it as 5GB, 500MB, 2GiB or a number of bytes");
        var number = decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1m,
            "KB" => 1e3m,
            "MB" => 1e6m,
            "GB" => 1e9m,
            "TB" => 1e12m,
            "KIB" => 1024m,
            "MIB" => 1024m * 1024,
            "GIB" => 1024m * 1024 * 1024,
            _ => 1024m * 1024 * 1024 * 1024,
        };
        return (long)(number * unit);
    }

    /// <summary>"30d", "12h", "45m", as --older-than takes it.</summary>
    public static TimeSpan ParseAge(string value)
    {
        var m = Age().Match(value);
        if (!m.Success)
            throw new LambdaSlimException(ExitCode.Usage, $"--older-than '{value}' is not an age", "write it as 30d, 12h or 45m");
        var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value.ToLowerInvariant() switch
        {
            "d" => TimeSpan.FromDays(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromMinutes(n),
        };
    }

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Size();

    [GeneratedRegex(@"^\s*(\d{1,6})\s*([dhm])\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Age();
}
