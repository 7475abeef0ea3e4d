using LambdaSlim.Project;

namespace LambdaSlim.Prune;

/// <summary>How much pruning removes. Traced applies the safe rules, then keeps only what the handlers touched (see the Trace stage).</summary>
public enum PruneLevel { None, Safe, Aggressive, Traced }

/// <summary>
/// One rule of a rule pack: which installed files it removes and why that is safe.
/// Paths are relative to the install root (site-packages), e.g. "numpy/core/include/numpy/npy_common.h".
/// </summary>
public sealed record PruneRule(
    string Id,
    string Pack,
    PruneLevel Level,
    string? Package,
    IReadOnlyList<Glob> Remove,
    IReadOnlyList<string> RemoveDirs,
    bool KeepPythonPackages,
    IReadOnlyList<Glob> Keep,
    string Why)
{
    /// <summary>
    /// Whether this rule removes the file. <paramref name="isPythonPackage"/> answers whether a folder
    /// (relative path) holds an __init__.py in the unpruned tree.
    /// </summary>
    public bool Removes(string path, string? ownerNormalizedName, Func<string, bool> isPythonPackage)
    {
        if (Package is not null && ownerNormalizedName != Package) return false;
        if (Keep.Any(k => k.IsMatch(path))) return false;
        if (Remove.Any(g => g.IsMatch(path))) return true;
        if (RemoveDirs.Count == 0) return false;
        // A folder name below a top-level package ("pandas/tests/..."), never the top level itself:
        // a distribution whose top-level module is called "tests" is still that distribution's code.
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length - 1; i++)
        {
            if (!RemoveDirs.Contains(parts[i], StringComparer.Ordinal)) continue;
            if (KeepPythonPackages && isPythonPackage(string.Join('/', parts[..(i + 1)]))) return false;
            return true;
        }
        return false;
    }
}
