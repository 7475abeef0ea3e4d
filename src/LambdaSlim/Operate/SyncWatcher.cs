using System.Threading.Channels;
using LambdaSlim.Model;
using LambdaSlim.Project;

namespace LambdaSlim.Operate;

/// <summary>
/// Watches the folders a build reads (every CodeUri and ContentUri) for `sync --watch`, and hands out changes in
/// batches: the first change, then every other until none came for the debounce interval, so that an editor's save
/// (write, rename, touch) is one batch. LambdaSlim's own folder and bytecode caches are not the user's edits.
/// </summary>
public sealed class SyncWatcher : IDisposable
{
    private static readonly string[] IgnoredNames = ["__pycache__", ".git", ".aws-sam", ".mypy_cache", ".pytest_cache", "node_modules"];

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>();
    private readonly string _ownFolder;
    private readonly TimeSpan _debounce;

    public SyncWatcher(IEnumerable<string> folders, string ownFolder, TimeSpan debounce)
    {
        _ownFolder = Path.GetFullPath(ownFolder);
        _debounce = debounce;
        var roots = folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).Where(Directory.Exists).Distinct(StringComparer.Ordinal).ToList();
        // A folder inside another one is watched with it.
        roots = roots.Where(r => !roots.Any(o => o != r && r.StartsWith(o + Path.DirectorySeparatorChar, StringComparison.Ordinal))).ToList();
        Folders = roots;
        foreach (var root in roots)
        {
            // The folder itself without its subfolders, then each subfolder with all of its own: a CodeUri of "." holds
            // .lambdaslim, whose installs would otherwise cost thousands of inotify watches.
            Watch(root, recursive: false);
            foreach (var sub in Directory.EnumerateDirectories(root).Where(d => !IsIgnored(d))) Watch(sub, recursive: true);
        }
    }

    public IReadOnlyList<string> Folders { get; }

    /// <summary>The folders of every function and layer the project builds.</summary>
    public static IReadOnlyList<string> FoldersOf(ProjectModel project) =>
        [.. project.Functions.Select(f => f.CodeDir), .. project.Layers.Select(l => l.ContentDir)];

    public static SyncWatcher For(ProjectModel project, TimeSpan debounce) =>
        new(FoldersOf(project), new BuildPaths(project.ProjectDir).Root, debounce);

    /// <summary>Waits for a change, then for the debounce interval to pass without another; the changed paths, in order, once each.</summary>
    public async Task<IReadOnlyList<string>> NextAsync(CancellationToken cancellationToken)
    {
        var batch = new List<string> { await _changes.Reader.ReadAsync(cancellationToken).ConfigureAwait(false) };
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(_debounce);
            try
            {
                batch.Add(await _changes.Reader.ReadAsync(quiet.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return batch.Distinct(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Forgets changes seen so far (those a build of our own caused, say).</summary>
    public void Clear()
    {
        while (_changes.Reader.TryRead(out _)) { }
    }

    private void Watch(string folder, bool recursive)
    {
        var watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = recursive,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, e) => Seen(e.FullPath);
        watcher.Created += (_, e) => Seen(e.FullPath);
        watcher.Deleted += (_, e) => Seen(e.FullPath);
        watcher.Renamed += (_, e) => Seen(e.FullPath);
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    private void Seen(string path)
    {
        if (IsIgnored(path)) return;
        _changes.Writer.TryWrite(path);
    }

    private bool IsIgnored(string path)
    {
        var full = Path.GetFullPath(path);
        if (full == _ownFolder || full.StartsWith(_ownFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return true;
        var name = Path.GetFileName(full);
        // Editors' swap and backup files are not edits of the code.
        if (name.EndsWith(".pyc", StringComparison.Ordinal) || name.EndsWith(".swp", StringComparison.Ordinal) || name.EndsWith('~') || name.StartsWith(".#", StringComparison.Ordinal)) return true;
        return full.Split(Path.DirectorySeparatorChar).Any(part => IgnoredNames.Contains(part, StringComparer.Ordinal));
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers) watcher.Dispose();
        _changes.Writer.TryComplete();
    }
}
