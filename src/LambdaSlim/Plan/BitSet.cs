using System.Numerics;

namespace LambdaSlim.Plan;

/// <summary>Fixed-width sets of small integers (functions, conflict keys) as words, for the planner's inner loops.</summary>
internal static class BitSet
{
    public static ulong[] New(int size) => new ulong[Math.Max(1, (size + 63) / 64)];

    public static void Set(ulong[] s, int i) => s[i >> 6] |= 1UL << (i & 63);

    public static bool Has(ulong[] s, int i) => (s[i >> 6] & (1UL << (i & 63))) != 0;

    public static int Count(ulong[] s)
    {
        var n = 0;
        foreach (var w in s) n += BitOperations.PopCount(w);
        return n;
    }

    /// <summary>|a \ b|.</summary>
    public static int CountAndNot(ulong[] a, ulong[] b)
    {
        var n = 0;
        for (var i = 0; i < a.Length; i++) n += BitOperations.PopCount(a[i] & ~b[i]);
        return n;
    }

    public static bool Intersects(ulong[] a, ulong[] b)
    {
        for (var i = 0; i < a.Length; i++) if ((a[i] & b[i]) != 0) return true;
        return false;
    }

    public static ulong[] Or(ulong[] a, ulong[] b)
    {
        var r = new ulong[a.Length];
        for (var i = 0; i < a.Length; i++) r[i] = a[i] | b[i];
        return r;
    }

    /// <summary>The members of a \ b (all of a when b is null), in increasing order.</summary>
    public static IEnumerable<int> Members(ulong[] a, ulong[]? b = null)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var w = b is null ? a[i] : a[i] & ~b[i];
            while (w != 0)
            {
                var bit = BitOperations.TrailingZeroCount(w);
                yield return (i << 6) + bit;
                w &= w - 1;
            }
        }
    }

    public static string Key(ulong[] s) => string.Join('.', s.Select(w => w.ToString("x", System.Globalization.CultureInfo.InvariantCulture)));
}
