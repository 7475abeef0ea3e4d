using System.Diagnostics;
using LambdaSlim.Model;
using LambdaSlim.Pipeline;
using LambdaSlim.Project;

namespace LambdaSlim.Bench;

/// <summary>
/// Incremental builds of one app (the example, or a small one in quick mode), each against the cold build of the same
/// run: nothing changed, one handler edited, and a second clean checkout with a warm shared cache; and the cold build
/// against a plain script that does `pip install -t`, a simple prune and `zip -r9` for every layer and function.
/// </summary>
public static class IncrementalBench
{
    public static async Task RunAsync(string wheelhouse, bool quick)
    {
        var source = quick ? SmallApp() : Path.Combine(RepoRoot(), "examples", "item-prediction");
        Console.WriteLine($"settings: {(quick ? "a layer of six + python-dateutil and two functions on it" : "examples/item-prediction (3 layers, 3 functions)")}, offline wheelhouse,");
        Console.WriteLine($"  python3.11 x86_64, default prune and bytecode, audit warns (the offline wheels are Debian's), imports verified; {Environment.ProcessorCount} cores");
        var cache = Fresh("incremental-cache");

        var script = Time(() => PlainScript(Copy(source, "incremental-script"), wheelhouse));
        var checkout = Copy(source, "incremental-a");
        var (cold, _) = await BuildAsync(checkout, wheelhouse, cache);
        var before = Written(checkout);
        var (noop, noopResult) = await BuildAsync(checkout, wheelhouse, cache);
        var wroteNothing = noopResult.Unchanged && Written(checkout).SequenceEqual(before);
        var handler = EditOneHandler(checkout);
        var zipsBefore = noopResult.Report.Functions.Concat(noopResult.Report.Layers).ToDictionary(a => a.LogicalId, a => a.Sha256);
        var (edit, editResult) = await BuildAsync(checkout, wheelhouse, cache);
        var changed = editResult.Report.Functions.Concat(editResult.Report.Layers).Where(a => zipsBefore.GetValueOrDefault(a.LogicalId) != a.Sha256).Select(a => a.LogicalId).ToList();
        var observer = new RecordingObserver();
        var (warm, _) = await BuildAsync(Copy(source, "incremental-b"), wheelhouse, cache, observer);
        var pipForLayers = observer.Infos.Count(i => i.StartsWith("Installing layer", StringComparison.Ordinal));

        Console.WriteLine($"  plain script (pip install -t, prune, zip -r9):  {script,7:0.0} s");
        Console.WriteLine($"  cold build:                                   {cold,7:0.0} s   {cold / script,5:0.00}x the script  (target <= 0.80x)  {Mark(cold / script <= 0.8)}");
        Console.WriteLine($"  nothing changed:                              {noop,7:0.0} s   {noop / cold,5:0.000}x cold  (target <= 0.04x)  {Mark(noop / cold <= 0.04)}; wrote nothing: {(wroteNothing ? "yes" : "NO")}");
        Console.WriteLine($"  one handler edited ({handler}):{new string(' ', Math.Max(1, 25 - handler.Length))}{edit,7:0.0} s   {edit / cold,5:0.000}x cold  (target <= 0.15x)  {Mark(edit / cold <= 0.15)}; zips changed: {string.Join(", ", changed)}");
        Console.WriteLine($"  second checkout, warm shared cache:           {warm,7:0.0} s   {warm / cold,5:0.000}x cold  (target <= 0.20x)  {Mark(warm / cold <= 0.2)}; pip runs for layers: {pipForLayers}");
    }

    private static string Mark(bool met) => met ? "met" : "MISSED";

    private static async Task<(double Seconds, BuildResult Result)> BuildAsync(string project, string wheelhouse, string cache, RecordingObserver? observer = null)
    {
        var request = BenchProject.Request(project, wheelhouse, AuditMode.Warn, verify: true) with { Scope = BuildScope.All, Cache = cache };
        var sw = Stopwatch.StartNew();
        var result = await BuildPipeline.RunAsync(request, observer ?? new RecordingObserver());
        var seconds = sw.Elapsed.TotalSeconds;
        if (result.Failed)
            throw new BenchFailedException($"the build of {project} failed:\n{string.Join('\n', result.Findings.Select(f => $"  {f.Severity} {f.Subject}: {f.Message}"))}");
        return (seconds, result);
    }

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>What a hand-written build script does: pip install -t each requirements file, drop tests and caches, zip -r9.</summary>
    private static void PlainScript(string project, string wheelhouse)
    {
        var model = ProjectLoader.Load(project);
        var output = Path.Combine(project, "script-build");
        var folders = model.Layers.Select(l => (Name: "layer-" + l.LogicalId, Dir: l.ContentDir, Prefix: "python"))
            .Concat(model.Functions.Select(f => (Name: "function-" + f.LogicalId, Dir: f.CodeDir, Prefix: "")));
        foreach (var (name, dir, prefix) in folders)
        {
            var staging = Path.Combine(output, name);
            var target = Path.Combine(staging, prefix);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.lambdaslim/", StringComparison.Ordinal)))
            {
                var to = Path.Combine(target, Path.GetRelativePath(dir, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to, overwrite: true);
            }
            var requirements = Path.Combine(dir, "requirements.txt");
            if (File.Exists(requirements))
                BenchProject.Run("python3.11", ["-m", "pip", "install", "--quiet", "--no-index", "--find-links", wheelhouse, "--target", target, "-r", requirements]);
            foreach (var junk in Directory.EnumerateDirectories(staging, "*", SearchOption.AllDirectories)
                .Where(d => Path.GetFileName(d) is "__pycache__" or "tests" or "test").OrderByDescending(d => d.Length).ToList())
                if (Directory.Exists(junk)) Directory.Delete(junk, true);
            BenchProject.Run("zip", ["-r9", "-q", Path.Combine(output, name + ".zip"), "."], staging);
        }
    }

    private static string EditOneHandler(string project)
    {
        var fn = ProjectLoader.Load(project).Functions.Last();
        File.AppendAllText(Path.Combine(fn.CodeDir, fn.HandlerModule.Replace('.', '/') + ".py"), "\n# edited by the incremental bench\n");
        return fn.LogicalId;
    }

    /// <summary>Every file of the committed build with its size and write time: a build that writes nothing leaves this alone.</summary>
    private static List<string> Written(string project)
    {
        var build = Path.Combine(project, ".lambdaslim", "build");
        return Directory.EnumerateFiles(build, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}").ToList();
    }

    private static string SmallApp()
    {
        var dir = Fresh("incremental-small");
        Directory.CreateDirectory(Path.Combine(dir, "layer"));
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), BenchTree.Quick.Requirements);
        foreach (var fn in new[] { "one", "two" })
        {
            Directory.CreateDirectory(Path.Combine(dir, fn));
            File.WriteAllText(Path.Combine(dir, fn, "app.py"), "import six\nfrom dateutil import parser\ndef handler(e, c):\n    return parser.parse(e['when']).isoformat()\n");
        }
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Dates:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.11]}
                Metadata: {BuildMethod: python3.11}
              One:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: one/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Dates]}
              Two:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: two/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Dates]}
            """);
        return dir;
    }

    internal static string Fresh(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", name);
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A copy of the app in a new folder, without any build of it: a clean checkout.</summary>
    internal static string Copy(string source, string name)
    {
        var dir = Fresh(name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(source, file);
            if (rel.Split('/').Contains(".lambdaslim")) continue;
            var to = Path.Combine(dir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return dir;
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LambdaSlim.slnx"))) return dir.FullName;
        throw new BenchFailedException("cannot find the repository (LambdaSlim.slnx) above the bench");
    }
}
