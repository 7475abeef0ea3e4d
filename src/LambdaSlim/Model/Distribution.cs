using System.Text.RegularExpressions;

namespace LambdaSlim.Model;

/// <summary>An installed Python distribution: its name, version and the files it owns, relative to the install root.</summary>
public sealed record Distribution(string Name, string Version, string DistInfoDir, IReadOnlyList<string> Files, IReadOnlyList<string> TopLevel)
{
    public string NormalizedName => Normalize(Name);

    /// <summary>
    /// The importable top-level modules: from top_level.txt when present, else from the files it owns
    /// (packages, modules and extension modules at the top of the install).
    /// </summary>
    public IReadOnlyList<string> TopLevelModules => TopLevel.Count > 0 ? TopLevel : FromFiles(Files);

    private static List<string> FromFiles(IEnumerable<string> files)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            var slash = f.IndexOf('/');
            if (slash < 0)
            {
                if (f.EndsWith(".py", StringComparison.Ordinal)) names.Add(f[..^3]);
                else if (f.EndsWith(".so", StringComparison.Ordinal) || f.EndsWith(".pyd", StringComparison.Ordinal)) names.Add(f[..f.IndexOf('.')]);
                continue;
            }
            var top = f[..slash];
            if (top.EndsWith(".dist-info", StringComparison.Ordinal) || top.EndsWith(".data", StringComparison.Ordinal) || top is "bin" or "__pycache__" || top.Contains('.') || top.Contains('-'))
                continue;
            if (f.EndsWith(".py", StringComparison.Ordinal) || f.Contains(".so", StringComparison.Ordinal)) names.Add(top);
        }
        return names.ToList();
    }

    /// <summary>PEP 503 name normalisation: "Scikit_Learn" and "scikit-learn" are one distribution.</summary>
    public static string Normalize(string name) => Regex.Replace(name, "[-_.]+", "-").ToLowerInvariant();
}
