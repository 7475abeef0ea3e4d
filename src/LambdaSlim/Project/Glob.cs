using System.Text;
using System.Text.RegularExpressions;

namespace LambdaSlim.Project;

/// <summary>
/// A path glob over '/'-separated relative paths: '**' spans folders, '*' and '?' stay within one.
/// A pattern without '/' matches a file or folder name at any depth, as in .gitignore.
/// A leading '!' negates (used by keep/exclude lists).
/// </summary>
public sealed class Glob
{
    private readonly Regex _regex;

    public Glob(string pattern)
    {
        Pattern = pattern;
        var p = pattern.Trim();
        Negated = p.StartsWith('!');
        if (Negated) p = p[1..];
        p = p.Replace('\\', '/').TrimStart('/');
        if (p.EndsWith('/')) p += "**";
        if (!p.Contains('/')) p = "**/" + p;
        _regex = new Regex("^" + ToRegex(p) + "(/.*)?$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public string Pattern { get; }
    public bool Negated { get; }

    /// <summary>True when the path, or one of its parent folders, matches the pattern (ignoring negation).</summary>
    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath.Replace('\\', '/'));

    private static string ToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a trailing "**" matches anything.
                if (i + 2 < glob.Length && glob[i + 2] == '/') { sb.Append("(?:.*/)?"); i += 2; }
                else { sb.Append(".*"); i++; }
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else if (c == '[' && glob.IndexOf(']', i + 1) is var close and > 0)
            {
                // A character class, e.g. LICEN[CS]E; "[!...]" negates as in shells.
                var body = glob[(i + 1)..close];
                sb.Append('[').Append(body.StartsWith('!') ? "^" + Regex.Escape(body[1..]) : Regex.Escape(body)).Append(']');
                i = close;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }

    /// <summary>Applies an ordered list of globs, last match wins, as .gitignore does.</summary>
    public static bool MatchesList(IReadOnlyList<Glob> globs, string relativePath)
    {
        var matched = false;
        foreach (var g in globs)
            if (g.IsMatch(relativePath)) matched = !g.Negated;
        return matched;
    }
}
