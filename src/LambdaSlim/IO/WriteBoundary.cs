namespace LambdaSlim.IO;

/// <summary>
/// The one place that decides whether LambdaSlim may write or delete a path. Every command that changes files runs
/// inside <see cref="Allow"/> with the folders it owns (&lt;project&gt;/.lambdaslim, the user's cache folder, a file the
/// user named with -o), and every write or delete is checked against them first. A template can choose names (logical
/// IDs) that end up in paths; this is what makes sure none of them leads outside.
/// </summary>
public static class WriteBoundary
{
    private static readonly AsyncLocal<IReadOnlyList<string>?> Roots = new();

    /// <summary>Allows writes under these folders (or to these files) until the returned scope is disposed.</summary>
    public static IDisposable Allow(params string[] roots)
    {
        var previous = Roots.Value;
        Roots.Value = [.. previous ?? [], .. roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))];
        return new Scope(previous);
    }

    /// <summary>
    /// The full path, when it lies inside an allowed folder and no folder between that one and the path is a link;
    /// otherwise an error. Code that runs outside any scope (benchmarks, unit tests of one stage) is not checked.
    /// </summary>
    public static string Check(string path)
    {
        var full = Path.GetFullPath(path);
        var roots = Roots.Value;
        if (roots is null) return full;
        foreach (var root in roots)
        {
            if (full == root) return full;
            if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            // A link inside our folder (planted, or left by a user) must not carry a write or delete out of it.
            for (var dir = Path.GetDirectoryName(full); dir is not null && dir.Length > root.Length; dir = Path.GetDirectoryName(dir))
                if (new DirectoryInfo(dir).LinkTarget is { } target)
                    throw Refused(full, $"{dir} is a link to {target}");
            return full;
        }
        throw Refused(full, $"it lies outside {string.Join(" and ", roots)}");
    }

    public static void CreateDirectory(string path) => Directory.CreateDirectory(Check(path));

    /// <summary>Deletes a folder and everything in it (links inside are removed, never followed).</summary>
    public static void DeleteDirectory(string path)
    {
        var full = Check(path);
        if (new DirectoryInfo(full).LinkTarget is not null) File.Delete(full);
        else if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
    }

    public static void DeleteFile(string path)
    {
        var full = Check(path);
        if (File.Exists(full) || new FileInfo(full).LinkTarget is not null) File.Delete(full);
    }

    public static void Move(string from, string to, bool overwrite = false) => File.Move(Check(from), Check(to), overwrite);

    private static LambdaSlimException Refused(string path, string why) => LambdaSlimException.Input(
        $"refusing to write or delete {path}: {why}",
        "LambdaSlim only writes inside <project>/.lambdaslim and its cache folder; check the template's logical IDs and links");

    private sealed class Scope(IReadOnlyList<string>? previous) : IDisposable
    {
        public void Dispose() => Roots.Value = previous;
    }
}
