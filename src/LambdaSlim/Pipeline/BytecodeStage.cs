using System.Text.RegularExpressions;
using LambdaSlim.Bytecode;
using LambdaSlim.Project;
using LambdaSlim.Runtimes;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>
/// Adds bytecode compiled for the runtime to a pruned artifact (and to its unpruned twin, so import verification
/// runs at cold-start speed), and drops .pyc an install brought that another Python made.
/// </summary>
public static partial class BytecodeStage
{
    [GeneratedRegex(@"\.cpython-(\d+)\.pyc$")]
    private static partial Regex PycTag();

    public static async Task ApplyAsync(BuildContext context, PreparedArtifact artifact, LambdaSlimSettings resourceSettings, CancellationToken cancellationToken)
    {
        var settings = BytecodeSettings.From(resourceSettings, context.Project.Defaults, artifact.Name);
        var before = DropForeignBytecode(artifact.Prune.Before, artifact.Runtime);
        var after = DropForeignBytecode(artifact.Prune.After, artifact.Runtime);
        foreach (var (path, source) in artifact.Vendored) after.TryAdd(path, source, owner: null, installed: true);
        artifact.VerifyBefore = before;
        artifact.Shipped = after;
        var mode = settings.Mode.ToString().ToLowerInvariant();
        if (settings.Mode == BytecodeMode.None)
        {
            artifact.Bytecode = new BytecodeReport(mode, null, 0, 0);
            return;
        }
        var python = PythonFinder.Find(artifact.Runtime);
        if (python is null)
        {
            context.Observer.Warn($"{artifact.Name}: no CPython {artifact.Runtime.Version} found ({PythonFinder.SearchedPlaces(artifact.Runtime)}), so it ships without bytecode and cold starts compile every module: {PythonFinder.InstallHint(artifact.Runtime)}");
            artifact.Bytecode = new BytecodeReport("none (no matching Python)", null, 0, 0);
            return;
        }

        var root = artifact.Kind == ArtifactReport.LayerKind ? "/opt/" : "/var/task/";
        var jobs = before.Entries.Concat(after.Entries).Where(e => e.ArchivePath.EndsWith(".py", StringComparison.Ordinal))
            .Select(e => new CompileJob(e.Source, root + e.ArchivePath)).Distinct().ToList();
        var cache = Path.Combine(context.Paths.Work, "bytecode", artifact.Runtime.CPythonTag);
        (IReadOnlyDictionary<CompileJob, string> compiled, IReadOnlyDictionary<string, string> failed) result;
        using (var step = context.Observer.Step($"Compiling bytecode for {artifact.Name} with Python {artifact.Runtime.Version}", jobs.Count))
            result = await BytecodeCompiler.CompileAsync(python, cache, jobs, cancellationToken).ConfigureAwait(false);
        foreach (var (source, error) in result.failed.Take(3))
            context.Observer.Info($"{artifact.Name}: {source} does not compile for Python {artifact.Runtime.Version} ({error}); it ships as source");

        var tag = $"cpython-{artifact.Runtime.Major}{artifact.Runtime.Minor}";
        AddBytecode(before, root, result.compiled, tag, sourceless: _ => false);
        var shipped = AddBytecode(after, root, result.compiled, tag,
            sourceless: e => settings.Mode == BytecodeMode.Sourceless && (e.Installed || settings.SourcelessOwnCode));
        artifact.Bytecode = new BytecodeReport(mode, python, shipped, result.failed.Count);
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
