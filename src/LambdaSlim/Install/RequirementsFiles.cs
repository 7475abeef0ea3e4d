using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LambdaSlim.Install;

/// <summary>
/// Every local file pip reads for one requirements file: the file itself, the files it pulls in with
/// -r/--requirement and -c/--constraint (nested, each relative to the file that names it, as pip resolves them),
/// and local wheels and sdists it names (relative to the top file's folder, where pip runs). Editing any of them
/// changes <see cref="Hash"/>, so a cached install is not reused.
/// </summary>
public static partial class RequirementsFiles
{
    [GeneratedRegex(@"^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=^-[rc]))(?<path>\S+)")]
    private static partial Regex IncludeOption();

    [GeneratedRegex(@"(^|\s+)#.*$")]
    private static partial Regex Comment();

    // pip expands only this form of environment variable, and only with upper-case names.
    [GeneratedRegex(@"\$\{(?<name>[A-Z0-9_]+)\}")]
    private static partial Regex EnvironmentVariable();

    private static readonly string[] ArchiveSuffixes = [".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"];

    /// <summary>The files pip reads, absolute, the top file first; missing ones are listed too (pip reports them).</summary>
    public static IReadOnlyList<string> All(string requirementsFile)
    {
        var top = Path.GetFullPath(requirementsFile);
        var workingDirectory = Path.GetDirectoryName(top)!;
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([top]);
        while (pending.Count > 0)
        {
            var file = pending.Pop();
            if (!seen.Add(file)) continue;
            files.Add(file);
            if (!File.Exists(file)) continue;
            foreach (var line in LogicalLines(File.ReadAllText(file)))
            {
                if (IncludeOption().Match(line) is { Success: true } include)
                {
                    var path = include.Groups["path"].Value;
                    if (!IsUrl(path)) pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path)));
                }
                else if (LocalArchive(line, workingDirectory) is { } archive && seen.Add(archive))
                {
                    files.Add(archive);
                }
            }
        }
        return files;
    }

    /// <summary>True when the file holds only comments and blank lines: pip would install nothing.</summary>
    public static bool ListsNothing(string requirementsFile) =>
        File.Exists(requirementsFile) && !LogicalLines(File.ReadAllText(requirementsFile)).Any();

    /// <summary>
    /// True when a requirement names a local folder (<c>.</c>, <c>-e ./lib</c>, <c>file:///src/pkg</c>): what pip installs
    /// then depends on that folder's files and on where the requirements file is, not only on the text hashed here.
    /// </summary>
    public static bool NamesLocalFolder(string requirementsFile)
    {
        foreach (var file in All(requirementsFile).Where(f => !ArchiveSuffixes.Any(a => f.EndsWith(a, StringComparison.OrdinalIgnoreCase)) && File.Exists(f)))
            foreach (var line in LogicalLines(File.ReadAllText(file)))
            {
                var text = line;
                foreach (var editable in (string[])["-e ", "--editable ", "--editable="])
                    if (text.StartsWith(editable, StringComparison.Ordinal)) text = text[editable.Length..].TrimStart();
                if (text.StartsWith('-')) continue;
                var first = text.Split([' ', '\t', ';'], 2)[0];
                if (ArchiveSuffixes.Any(a => first.EndsWith(a, StringComparison.OrdinalIgnoreCase))) continue;
                if (first.StartsWith('.') || first.StartsWith('/') || first.StartsWith('~') || first.StartsWith("file:", StringComparison.Ordinal)) return true;
            }
        return false;
    }

    /// <summary>A hash of every file pip reads: its path relative to the top file's folder and its content.</summary>
    public static string Hash(string requirementsFile)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(requirementsFile))!;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in All(requirementsFile))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file).Replace('\\', '/') + "\n"));
            try
            {
                using var stream = File.OpenRead(file);
                sha.AppendData(SHA256.HashData(stream));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                sha.AppendData("missing\n"u8);
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>pip's logical lines: continuations joined, comments and blank lines dropped, ${VAR} expanded.</summary>
    internal static IEnumerable<string> LogicalLines(string text)
    {
        var current = new StringBuilder();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            // As pip's join_lines: a trailing backslash continues the line, except on a comment line.
            if (raw.EndsWith('\\') && !raw.TrimStart().StartsWith('#'))
            {
                current.Append(raw.AsSpan(0, raw.Length - 1));
                continue;
            }
            current.Append(raw);
            var line = Comment().Replace(current.ToString(), "").Trim();
            current.Clear();
            line = EnvironmentVariable().Replace(line, m => Environment.GetEnvironmentVariable(m.Groups["name"].Value) ?? m.Value);
            if (line.Length > 0) yield return line;
        }
        if (current.Length > 0 && Comment().Replace(current.ToString(), "").Trim() is { Length: > 0 } last) yield return last;
    }

    /// <summary>A local wheel or sdist a requirement line names, e.g. ./wheels/x-1.0-py3-none-any.whl, if it exists.</summary>
    private static string? LocalArchive(string line, string workingDirectory)
    {
        if (line.StartsWith('-')) return null;
        var first = line.Split([' ', '\t', ';'], 2)[0];
        if (first.StartsWith("file://", StringComparison.Ordinal)) first = Uri.UnescapeDataString(first["file://".Length..]);
        if (IsUrl(first) || !ArchiveSuffixes.Any(s => first.EndsWith(s, StringComparison.OrdinalIgnoreCase))) return null;
        var path = Path.GetFullPath(Path.Combine(workingDirectory, first));
        return File.Exists(path) ? path : null;
    }

    private static bool IsUrl(string text) => text.Contains("://", StringComparison.Ordinal);
}
