using System.Globalization;

namespace LambdaSlim.Runtimes;

/// <summary>
/// A symbol version such as GLIBC_2.17 or GLIBCXX_3.4.30, compared number by number so GLIBC_2.9 &lt; GLIBC_2.17.
/// Missing components count as 0 (GCC_7 equals GCC_7.0.0).
/// </summary>
public sealed record SymbolVersion(string Prefix, IReadOnlyList<int> Numbers) : IComparable<SymbolVersion>
{
    /// <summary>Parses "GLIBC_2.35"; false for names without a numeric version (GLIBC_PRIVATE, CXXABI_TM_1 parses as prefix CXXABI_TM).</summary>
    public static bool TryParse(string text, out SymbolVersion version)
    {
        version = null!;
        var underscore = text.LastIndexOf('_');
        if (underscore <= 0 || underscore == text.Length - 1) return false;
        return TryParse(text[..underscore], text[(underscore + 1)..], out version);
    }

    public static bool TryParse(string prefix, string numbers, out SymbolVersion version)
    {
        version = null!;
        var parts = numbers.Split('.');
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit) || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
                return false;
        version = new SymbolVersion(prefix, values);
        return true;
    }

    public int CompareTo(SymbolVersion? other)
    {
        if (other is null) return 1;
        for (var i = 0; i < Math.Max(Numbers.Count, other.Numbers.Count); i++)
        {
            var c = (i < Numbers.Count ? Numbers[i] : 0).CompareTo(i < other.Numbers.Count ? other.Numbers[i] : 0);
            if (c != 0) return c;
        }
        return 0;
    }

    public bool IsNewerThan(SymbolVersion other) => CompareTo(other) > 0;

    public string Number => string.Join('.', Numbers);

    public override string ToString() => $"{Prefix}_{Number}";
}
