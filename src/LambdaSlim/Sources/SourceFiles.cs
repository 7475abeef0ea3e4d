using System.Text;
using LambdaSlim.Sources.Secrets;
using LambdaSlim.Project;

namespace LambdaSlim.Sources;

/// <summary>
/// Chooses which files of a CodeUri or ContentUri go into an artifact. Leaves out version control, virtualenvs,
/// caches and build outputs, and credential-only files (reported); finds secrets inside the other files (the
/// caller fails the build on them) unless the template's <c>allow-secrets:</c> or <c>include:</c> globs name them.
/// Follows a symbolic link only when its target lies inside the link boundary (the walked folder, or the project
/// for a layer's shared code); other links, loops and dangling links are skipped and reported.
/// </summary>
public static class SourceFiles
{
    private static readonly HashSet<string> ExcludedFolders = new(StringComparer.Ordinal)
    {
        ".git", ".hg", ".svn", ".lambdaslim", ".aws-sam", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache",
        ".ruff_cache", ".tox", ".nox", ".idea", ".vscode", ".eggs",
    };

    private static readonly HashSet<string> ExcludedFiles = new(StringComparer.Ordinal) { ".DS_Store", "Thumbs.db", ".coverage" };

    /// <summary>Text files up to this size are scanned for secrets; bigger ones are data, not settings.</summary>
    public const int ScanLimitBytes = 1024 * 1024;

    /// <summary>A NUL byte in this many leading bytes marks a binary file, which is not scanned.</summary>
    private const int BinaryProbeBytes = 8192;

    /// <summary>Lambda extracts zips under /var/task or /opt, and Linux paths stop at 4096 bytes (PATH_MAX).</summary>
    public const int MaxRelativePathBytes = 4000;

    /// <summary>Symbolic links followed in a row before a path counts as a loop, as Linux's ELOOP does.</summary>
    private const int MaxLinkHops = 40;

    /// <param name="root">The CodeUri or ContentUri.</param>
    /// <param name="allowSecrets">Globs (from <c>include:</c> and <c>allow-secrets:</c>) naming files to ship even if they hold secrets.</param>
    /// <param name="linkBoundary">Links are followed when their target lies inside this folder; the root when null.</param>
    /// <param name="rules">The secret rules; the built-in set when null.</param>
    public static SourceSelection Collect(string root, IReadOnlyList<Glob> allowSecrets, string? linkBoundary = null, SecretRules? rules = null)
    {
        rules ??= SecretRules.BuiltIn;
        if (!Directory.Exists(root)) throw LambdaSlimException.Input($"folder {root} does not exist", "point CodeUri or ContentUri at an existing folder");
        var realRoot = RealPath(Path.GetFullPath(root), out var rootProblem)
            ?? throw LambdaSlimException.Input($"cannot read folder {root}: it {rootProblem}", "point CodeUri or ContentUri at an existing folder");
        var boundary = linkBoundary is null ? realRoot : RealPath(Path.GetFullPath(linkBoundary), out _) ?? realRoot;

        var candidates = new List<(string Rel, string Full)>();
        var files = new List<(string, string)>();
        var leftOut = new List<SkippedSecret>();
        var inCode = new List<SecretInCode>();
        var allowed = new List<SkippedSecret>();
        var links = new List<SkippedLink>();

        // Depth first with an explicit stack: a very deep tree must end in a clear error, not a stack overflow.
        var pending = new Stack<Folder>();
        pending.Push(new Folder(realRoot, "", null));
        while (pending.TryPop(out var folder))
        {
            // A virtualenv is recognised by its pyvenv.cfg (or conda-meta), whatever its name.
            if (folder.Prefix.Length > 0 && (File.Exists(Path.Combine(folder.Path, "pyvenv.cfg")) || Directory.Exists(Path.Combine(folder.Path, "conda-meta"))))
                continue;
            var subfolders = new List<Folder>();
            foreach (var entry in List(folder.Path))
            {
                var name = entry.Name;
                var rel = folder.Prefix + name;
                CheckName(entry, rel);
                if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint) && entry.LinkTarget is { } target)
                {
                    var real = RealPath(entry.FullName, out var problem);
                    if (real is null)
                        links.Add(new SkippedLink(rel, target, problem!, LeadsOut: false));
                    else if (!IsInside(real, boundary))
                        links.Add(new SkippedLink(rel, real, $"points outside {boundary}", LeadsOut: true));
                    else if (Directory.Exists(real))
                    {
                        if (ExcludedFolders.Contains(name)) continue;
                        if (folder.Leads(real))
                            links.Add(new SkippedLink(rel, target, "is a loop: it points back to a folder that contains it", LeadsOut: false));
                        else
                            subfolders.Add(new Folder(real, rel + "/", folder));
                    }
                    else
                        AddFile(rel, real, name);
                }
                else if (entry is DirectoryInfo)
                {
                    if (!ExcludedFolders.Contains(name)) subfolders.Add(new Folder(entry.FullName, rel + "/", folder));
                }
                else
                    AddFile(rel, entry.FullName, name);
            }
            for (var i = subfolders.Count - 1; i >= 0; i--) pending.Push(subfolders[i]);
        }
        // Reading and scanning is most of the time on a folder of thousands of files: it runs on every core,
        // and the results are taken in path order so the outcome (and the first error) never depends on timing.
        candidates.Sort((a, b) => string.CompareOrdinal(a.Rel, b.Rel));
        var verdicts = new Verdict[candidates.Count];
        Parallel.For(0, candidates.Count, i =>
        {
            var (rel, full) = candidates[i];
            try { verdicts[i] = Judge(rules, rel, full, Glob.MatchesList(allowSecrets, rel)); }
            catch (LambdaSlimException e) { verdicts[i] = new Verdict(null, null, e); }
        });
        for (var i = 0; i < candidates.Count; i++)
        {
            var (rel, full) = candidates[i];
            switch (verdicts[i])
            {
                case { Error: { } error }:
                    throw error;
                case { Secret: { } what, Allowed: true }:
                    allowed.Add(new SkippedSecret(rel, what));
                    break;
                case { Found: { } found }:
                    inCode.Add(new SecretInCode(rel, found.Line, found.Rule.What)); // shipped as it is; the caller fails the build
                    break;
                case { Secret: { } what }:
                    leftOut.Add(new SkippedSecret(rel, what));
                    continue;
            }
            files.Add((rel, full));
        }
        return new SourceSelection(files, leftOut, inCode, allowed, links);

        void AddFile(string rel, string full, string name)
        {
            if (ExcludedFiles.Contains(name) || name.EndsWith(".pyc", StringComparison.Ordinal)) return;
            candidates.Add((rel, full));
        }
    }

    /// <summary>What one file is: its secret (a credential file's kind, or what was found inside it), whether the template allows it, or why it can't be read.</summary>
    private sealed record Verdict(string? Secret, SecretFound? Found, LambdaSlimException? Error, bool Allowed = false);

    private static Verdict Judge(SecretRules rules, string rel, string full, bool allowed)
    {
        var text = ReadText(full);
        if (rules.CredentialFile(rel, text) is { } credential) return new Verdict(credential.What, null, null, allowed);
        if (text is not null && rules.FindInCode(text) is { } found)
            return rules.IsDocumentation(rel)
                ? new Verdict($"documentation holding {found.Rule.What}", null, null, allowed)
                : new Verdict(found.Rule.What, found, null, allowed);
        return new Verdict(null, null, null, allowed);
    }

    /// <summary>A folder being walked: its real path, its path in the artifact, and the folder it was reached from.</summary>
    private sealed record Folder(string Path, string Prefix, Folder? Parent)
    {
        /// <summary>True when this folder or one it was reached through is <paramref name="realPath"/>: following it would loop.</summary>
        public bool Leads(string realPath)
        {
            for (var f = this; f is not null; f = f.Parent)
                if (string.Equals(f.Path, realPath, StringComparison.Ordinal)) return true;
            return false;
        }
    }

    private static List<FileSystemInfo> List(string folder)
    {
        try
        {
            var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos().ToList();
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return entries;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(folder, "folder", e);
        }
    }

    /// <summary>Names Lambda could not extract are input errors: one that is not UTF-8, or a path past PATH_MAX.</summary>
    private static void CheckName(FileSystemInfo entry, string rel)
    {
        // .NET decodes a name that is not valid UTF-8 with U+FFFD, and that name then opens nothing.
        if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal) && entry.LinkTarget is null && !Path.Exists(entry.FullName))
            throw LambdaSlimException.Input($"{entry.FullName}: the name is not valid UTF-8",
                "rename it (zip entries and Lambda's file system use UTF-8 names), or move it out of the folder");
        if (Encoding.UTF8.GetByteCount(rel) > MaxRelativePathBytes)
            throw LambdaSlimException.Input($"{rel[..80]}…/{entry.Name}: the path is {Encoding.UTF8.GetByteCount(rel)} bytes long",
                $"shorten it: Lambda cannot extract paths longer than {MaxRelativePathBytes} bytes");
    }

    /// <summary>The file's text (Latin-1, byte for byte) when it is small and not binary; otherwise null.</summary>
    private static string? ReadText(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            var length = RandomAccess.GetLength(handle);
            if (length is 0 or > ScanLimitBytes) return null;
            var buffer = new byte[length];
            var read = 0;
            while (read < length && RandomAccess.Read(handle, buffer.AsSpan(read, read == 0 ? (int)Math.Min(length, BinaryProbeBytes) : (int)length - read), read) is var n and > 0)
            {
                // Binary files are not scanned; the probe spares reading the rest of them.
                if (read == 0 && buffer.AsSpan(0, n).Contains((byte)0)) return null;
                read += n;
            }
            return Encoding.Latin1.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, "file", e);
        }
    }

    private static LambdaSlimException Unreadable(string path, string kind, Exception e) => e switch
    {
        UnauthorizedAccessException => LambdaSlimException.Input($"cannot read {kind} {path}: permission denied",
            $"make it readable (chmod u+r{(kind == "folder" ? "x" : "")}), or move it out of the folder"),
        PathTooLongException => LambdaSlimException.Input($"cannot read {kind} {path[..Math.Min(path.Length, 120)]}…: the path is too long",
            "shorten the folder structure"),
        _ => LambdaSlimException.Input($"cannot read {kind} {path}: {e.Message.Split('\n')[0]}", "fix or remove it"),
    };

    private static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// The path with every symbolic link in it resolved, like realpath(3); null with the reason when a link
    /// points to nothing or the links loop.
    /// </summary>
    internal static string? RealPath(string path, out string? problem)
    {
        problem = null;
        var pending = new Stack<string>();
        Push(path);
        var current = Path.GetPathRoot(path)!;
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".") continue;
            if (part == "..") { current = Path.GetDirectoryName(current) ?? current; continue; }
            var next = Path.Join(current, part);
            string? target;
            try { target = new FileInfo(next).LinkTarget; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { problem = $"cannot be read ({e.Message})"; return null; }
            if (target is null)
            {
                if (!Path.Exists(next)) { problem = "points to nothing"; return null; }
                current = next;
                continue;
            }
            if (++hops > MaxLinkHops) { problem = "is a loop: its links lead back to themselves"; return null; }
            if (Path.IsPathRooted(target)) current = Path.GetPathRoot(target)!;
            Push(target);
        }
        return current;

        void Push(string p)
        {
            var parts = p.Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
            // Drop a Windows drive ("C:"), which GetPathRoot already gave.
            var start = Path.IsPathRooted(p) && parts.Length > 0 && parts[0].EndsWith(':') ? 1 : 0;
            for (var i = parts.Length - 1; i >= start; i--) pending.Push(parts[i]);
        }
    }
}
