using System.Text.RegularExpressions;

namespace LambdaSlim.Package.Secrets;

/// <summary>
/// A kind of file that exists only to hold credentials: matched by name (and, with <see cref="When"/>, by its text).
/// Such files are left out of the zip and reported.
/// </summary>
public sealed record CredentialFileRule(string Id, IReadOnlyList<Glob> Match, IReadOnlyList<Glob> Unless, Regex? When, string What, string Why)
{
    /// <summary>True when the path's name says it may be this kind of file; <see cref="When"/> still has to hold.</summary>
    public bool NameMatches(string relativePath) => AnyMatches(Match, relativePath) && !AnyMatches(Unless, relativePath);

    /// <summary>
    /// A glob without '/' is matched against the file name only, so a folder called '.env' or 'x.tfvars' does not
    /// make every file inside it a credential file.
    /// </summary>
    private static bool AnyMatches(IReadOnlyList<Glob> globs, string relativePath)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        foreach (var g in globs)
            if (g.IsMatch(g.Pattern.TrimEnd('/').Contains('/', StringComparison.Ordinal) ? relativePath : name)) return true;
        return false;
    }
}
