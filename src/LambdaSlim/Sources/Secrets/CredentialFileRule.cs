using System.Text.RegularExpressions;
using LambdaSlim.Project;

namespace LambdaSlim.Sources.Secrets;

/// <summary>
/// A kind of file that exists only to hold credentials: matched by name (and, with <see cref="When"/>, by its text).
/// Such files are left out of the zip and reported.
/// </summary>
public sealed record CredentialFileRule(string Id, IReadOnlyList<Glob> Match, IReadOnlyList<Glob> Unless, Regex? When, string What, string Why)
{
    private readonly Func<string, string, bool>[] _match = Match.Select(Matcher).ToArray();
    private readonly Func<string, string, bool>[] _unless = Unless.Select(Matcher).ToArray();

    /// <summary>True when the path's name says it may be this kind of file; <see cref="When"/> still has to hold.</summary>
    public bool NameMatches(string relativePath)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return _match.Any(m => m(relativePath, name)) && !_unless.Any(m => m(relativePath, name));
    }

    /// <summary>
    /// A glob without '/' is matched against the file name only, so a folder called '.env' or 'x.tfvars' does not
    /// make every file inside it a credential file. Every file of a folder is checked against every rule, so plain
    /// names, '*.suffix' and 'prefix*' are compared as strings rather than through a regular expression.
    /// </summary>
    private static Func<string, string, bool> Matcher(Glob glob)
    {
        var p = glob.Pattern.Trim();
        if (p.TrimEnd('/').Contains('/', StringComparison.Ordinal)) return (path, _) => glob.IsMatch(path);
        var star = p.IndexOf('*', StringComparison.Ordinal);
        var literal = p.IndexOfAny(['?', '[', '!']) < 0 && p.LastIndexOf('*') == star;
        if (!literal) return (_, name) => glob.IsMatch(name);
        if (star < 0) return (_, name) => name == p;
        if (p == "*") return (_, _) => true;
        if (star == 0) { var suffix = p[1..]; return (_, name) => name.EndsWith(suffix, StringComparison.Ordinal); }
        if (star == p.Length - 1) { var prefix = p[..^1]; return (_, name) => name.StartsWith(prefix, StringComparison.Ordinal); }
        return (_, name) => glob.IsMatch(name);
    }
}
