using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LambdaSlim.IO;

namespace LambdaSlim.Bytecode;

/// <summary>One source file to compile: its bytes on disk, and the path tracebacks show on Lambda.</summary>
public sealed record CompileJob(string Source, string DisplayPath);

/// <summary>
/// Compiles .py files with a CPython of exactly the runtime's minor version into unchecked-hash .pyc (PEP 552):
/// Lambda's /var/task and /opt are read-only, so Python cannot cache what it compiles, and timestamp-based .pyc
/// go stale under a zip's fixed timestamps and are silently recompiled on every cold start. Unchecked-hash .pyc
/// are used as they are. Results are cached by content, so an unchanged file is never compiled twice.
/// </summary>
public static class BytecodeCompiler
{
    private const string Script = """
        import sys
        if sys.path and sys.path[0] == "": sys.path.pop(0)  # a json.py in the working folder must not shadow the standard library
        import json, py_compile
        jobs = json.load(open(sys.argv[1]))
        failed = {}
        for src, dfile, out in jobs:
            try:
                py_compile.compile(src, cfile=out, dfile=dfile, doraise=True, optimize=0,
                                   invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            except Exception as e:
                failed[src] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        print(json.dumps(failed))
        """;

    /// <summary>Returns source → cached .pyc path for every job that compiled; the rest are reported as failures.</summary>
    public static async Task<(IReadOnlyDictionary<CompileJob, string> Compiled, IReadOnlyDictionary<string, string> Failed)> CompileAsync(
        string python, string cacheDir, IReadOnlyList<CompileJob> jobs, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDir);
        var outputs = new Dictionary<CompileJob, string>();
        var todo = new List<(CompileJob Job, string Output)>();
        foreach (var job in jobs)
        {
            var output = Path.Combine(cacheDir, Key(job) + ".pyc");
            outputs[job] = output;
            if (!File.Exists(output)) todo.Add((job, output));
        }
        var failed = new Dictionary<string, string>();
        // py_compile is single-threaded: one interpreter per core.
        var chunks = todo.Select((t, i) => (t, i)).GroupBy(x => x.i % System.Environment.ProcessorCount, x => x.t).ToList();
        var runs = chunks.Select(async chunk =>
        {
            // Compile into temporary names and rename, so an interrupted run never leaves a half-written cache entry.
            var list = chunk.Select(c => new[] { c.Job.Source, c.Job.DisplayPath, c.Output + ".tmp" }).ToList();
            var jobFile = Path.Combine(cacheDir, $".jobs-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(jobFile, JsonSerializer.Serialize(list), cancellationToken).ConfigureAwait(false);
            try
            {
                var r = await ProcessRunner.RunAsync(python, ["-s", "-S", "-c", Script, jobFile], environment: Environment,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                if (r.ExitCode != 0) throw LambdaSlimException.Tool($"bytecode compilation with {python} failed: {r.StdErr.Split('\n')[0]}", "run with --verbose, or set 'Metadata: LambdaSlim: bytecode: none'");
                var errors = JsonSerializer.Deserialize<Dictionary<string, string>>(r.StdOut.Trim().Split('\n')[^1]) ?? [];
                lock (failed) foreach (var (k, v) in errors) failed[k] = v;
                foreach (var c in chunk.Where(c => File.Exists(c.Output + ".tmp")))
                    File.Move(c.Output + ".tmp", c.Output, overwrite: true);
            }
            finally
            {
                File.Delete(jobFile);
            }
        });
        await Task.WhenAll(runs).ConfigureAwait(false);
        var compiled = outputs.Where(kv => File.Exists(kv.Value)).ToDictionary();
        return (compiled, failed);
    }

    /// <summary>
    /// The compiling interpreter's environment. Before 3.11, marshal writes a constant frozenset (<c>x in {"a", "b"}</c>)
    /// in its iteration order, which follows the string hash seed: a fixed seed makes the same source give the same
    /// bytes on every build. -I or -E would ignore PYTHONHASHSEED, so the other PYTHON* settings that change what is
    /// compiled or imported are cleared here instead (the optimization level is also fixed in the script).
    /// </summary>
    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["PYTHONHASHSEED"] = "0",
        ["PYTHONPATH"] = null,
        ["PYTHONHOME"] = null,
        ["PYTHONOPTIMIZE"] = null,
        ["PYTHONSTARTUP"] = null,
        ["PYTHONINSPECT"] = null,
        ["PYTHONDEBUG"] = null,
        ["PYTHONNOUSERSITE"] = "1",
        ["PYTHONWARNINGS"] = null,
        ["PYTHONDEVMODE"] = null,
        ["PYTHONPYCACHEPREFIX"] = null,
    };

    /// <summary>
    /// The cache key: the source's bytes and the path compiled into the code objects, nothing of the machine (the
    /// cache folder is per runtime). v2: compiled with a fixed hash seed; earlier entries differed run to run.
    /// </summary>
    private static string Key(CompileJob job)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("lambdaslim-bytecode-v2\n"u8);
        hash.AppendData(File.ReadAllBytes(job.Source));
        hash.AppendData(Encoding.UTF8.GetBytes("\n" + job.DisplayPath));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
