namespace LambdaSlim.Bench;

/// <summary>
/// What a bench builds: one layer of these requirements from the offline wheelhouse, and the modules a fresh
/// interpreter imports to time it. The full tree is what the README's numbers are measured on; the quick tree only
/// proves that every bench still runs (./test.sh), so its numbers mean nothing.
/// </summary>
public sealed record BenchTree(string LayerId, string Requirements, string Imports, string Description)
{
    public static BenchTree DataScience { get; } = new("DataScience", "numpy\npandas\nscikit-learn\nscipy\n", "pandas, numpy, sklearn",
        "numpy + pandas + scikit-learn + scipy, Debian builds");

    public static BenchTree Quick { get; } = new("Dates", "six\npython-dateutil\n", "dateutil.parser, six",
        "six + python-dateutil (quick mode)");
}
