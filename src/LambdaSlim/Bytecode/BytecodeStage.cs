using System.Text.RegularExpressions;
using LambdaSlim.Model;
using LambdaSlim.Prune;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Bytecode;

/// <summary>
/// Adds bytecode compiled for the runtime to a pruned artifact (and to its unpruned twin, so import verification
/// runs at cold-start speed), and drops .pyc an install brought that another Python made.
/// </summary>
public static partial class BytecodeStage
{
    [GeneratedRegex(@"\.cpython-(\d+)\.pyc$")]
    private static partial Regex PycTag();

    /// <param name="prune">What pruning left (and removed) of the artifact.</param>
    /// <param name="vendored">Libraries the audit's repair copies in (archive path → file on the build machine): they ship whatever pruning did.</param>
    /// <param name="cacheRoot">The build's bytecode cache (work/bytecode); each runtime has its own folder in it.</param>
    public static async Task<BytecodeOutcome> RunAsync(
        PreparedArtifact artifact, PruneOutcome prune, IReadOnlyDictionary<string, string> vendored, BytecodeSettings settings,
        string cacheRoot, IBuildObserver observer, CancellationToken cancellationToken)
    {
        var before = DropForeignBytecode(prune.Before, artifact.Runtime);
        var after = DropForeignBytecode(prune.After, artifact.Runtime);
        foreach (var (path, source) in vendored) after.TryAdd(path, source, owner: null, installed: true);
        var mode = settings.Mode.ToString().ToLowerInvariant();
        if (settings.Mode == BytecodeMode.None) return new BytecodeOutcome(before, after, new BytecodeReport(mode, null, 0, 0));
        var python = PythonFinder.Find(artifact.Runtime);
        if (python is null)
        {
            observer.Warn($"{artifact.Name}: no CPython {artifact.Runtime.Version} found ({PythonFinder.SearchedPlaces(artifact.Runtime)}), so it ships without bytecode and cold starts compile every module: {PythonFinder.InstallHint(artifact.Runtime)}");
            return new BytecodeOutcome(before, after, new BytecodeReport("none (no matching Python)", null, 0, 0));
        }

        var root = artifact.Kind == ArtifactReport.LayerKind ? "/opt/" : "/var/task/";
        var jobs = before.Entries.Concat(after.Entries).Where(e => e.ArchivePath.EndsWith(".py", StringComparison.Ordinal))
            .Select(e => new CompileJob(e.Source, root + e.ArchivePath)).Distinct().ToList();
        var cache = Path.Combine(cacheRoot, artifact.Runtime.CPythonTag);
        (IReadOnlyDictionary<CompileJob, string> compiled, IReadOnlyDictionary<string, string> failed) result;
        using (var step = observer.Step($"Compiling bytecode for {artifact.Name} with Python {artifact.Runtime.Version}", jobs.Count))
            result = await BytecodeCompiler.CompileAsync(python, cache, jobs, cancellationToken).ConfigureAwait(false);
        foreach (var (source, error) in result.failed.Take(3))
            observer.Info($"{artifact.Name}: {source} does not compile for Python {artifact.Runtime.Version} ({error}); it ships as source");

        var tag = $"cpython-{artifact.Runtime.Major}{artifact.Runtime.Minor}";
        AddBytecode(before, root, result.compiled, tag, sourceless: _ => false);
        var shipped = AddBytecode(after, root, result.compiled, tag,
            sourceless: e => settings.Mode == BytecodeMode.Sourceless && (e.Installed || settings.SourcelessOwnCode));
        return new BytecodeOutcome(before, after, new BytecodeReport(mode, python, shipped, result.failed.Count));
    }

    /// <summary>Adds each .py's compiled twin: at __pycache__/name.cpython-3X.pyc, or in its place as name.pyc when sourceless.</summary>
    private static int AddBytecode(ArtifactContents contents, string root, IReadOnlyDictionary<CompileJob, string> compiled, string tag, Func<ContentEntry, bool> sourceless)
    {
        var added = 0;
        foreach (var e in contents.Entries.Where(e => e.ArchivePath.EndsWith(".py", StringComparison.Ordinal)).ToList())
        {
            if (!compiled.TryGetValue(new CompileJob(e.Source, root + e.ArchivePath), out var pyc)) continue;
            var slash = e.ArchivePath.LastIndexOf('/');
            var dir = slash < 0 ? "" : e.ArchivePath[..(slash + 1)];
            var stem = e.ArchivePath[(slash + 1)..^3];
            if (sourceless(e))
            {
                contents.Remove(e.ArchivePath);
                contents.TryAdd($"{dir}{stem}.pyc", pyc, e.Owner, e.Installed);
            }
            else
            {
                contents.TryAdd($"{dir}__pycache__/{stem}.{tag}.pyc", pyc, e.Owner, e.Installed);
            }
            added++;
        }
        return added;
    }

    /// <summary>A .pyc for another Python is dead weight at best; never ship bytecode of the wrong version.</summary>
    private static ArtifactContents DropForeignBytecode(ArtifactContents contents, PythonRuntime runtime)
    {
        var copy = contents.Clone();
        var wanted = $"{runtime.Major}{runtime.Minor}";
        foreach (var e in contents.Entries)
        {
            if (!e.ArchivePath.EndsWith(".pyc", StringComparison.Ordinal) && !e.ArchivePath.EndsWith(".pyo", StringComparison.Ordinal)) continue;
            var m = PycTag().Match(e.ArchivePath);
            if (!m.Success || m.Groups[1].Value != wanted || e.ArchivePath.EndsWith(".pyo", StringComparison.Ordinal)) copy.Remove(e.ArchivePath);
        }
        return copy;
    }
}
