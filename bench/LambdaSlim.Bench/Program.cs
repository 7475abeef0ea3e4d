// Benchmarks for LambdaSlim, printed as ratios against baselines measured in the same run (these machines are noisy).
//   dotnet run -c Release --project bench/LambdaSlim.Bench -- WHEELHOUSE [packaging|prune|bytecode|site-packages|botocore|many-functions|incremental|plan|sync|traced|all] [RUNS] [--quick]
// traced is not in all: it builds the example twice (about a minute each) and runs its handlers.
// --quick (or LAMBDASLIM_BENCH_QUICK=1) runs every bench once on a small tree: ./test.sh uses it so that a change
// that breaks a bench fails the tests. Its numbers mean nothing; the README's come from the full run.
using LambdaSlim.Bench;

var quick = args.Contains("--quick") || Environment.GetEnvironmentVariable("LAMBDASLIM_BENCH_QUICK") == "1";
var positional = args.Where(a => a != "--quick").ToArray();
var wheelhouse = Path.GetFullPath(positional.Length > 0 ? positional[0] : ".cache/wheelhouse");
var which = positional.Length > 1 ? positional[1] : "all";
var runs = quick ? 1 : positional.Length > 2 ? int.Parse(positional[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
var tree = quick ? BenchTree.Quick : BenchTree.DataScience;
if (quick) Console.WriteLine("quick mode: one run on a small tree, to show each bench still works; its met/MISSED marks judge nothing");
string[] benches = ["packaging", "prune", "site-packages", "botocore", "bytecode", "many-functions", "incremental", "plan", "sync", "traced"];
if (which != "all" && !benches.Contains(which))
{
    Console.Error.WriteLine($"unknown bench '{which}': use one of {string.Join(", ", benches)} or all");
    return 2;
}
if (quick) Console.WriteLine($"quick mode: {tree.Description}, one run; it shows that every bench runs, its numbers prove nothing");
async Task Bench(string name, string title, Func<Task> run)
{
    if (which != "all" && which != name) return;
    Console.WriteLine($"\n== {title}");
    var sw = System.Diagnostics.Stopwatch.StartNew();
    await run();
    Console.Error.WriteLine($"({name}: {sw.Elapsed.TotalSeconds:0} s)");
}
try
{
    await Bench("packaging", "packaging", () => PackagingBench.RunAsync(wheelhouse, tree, runs));
    await Bench("prune", $"prune: {tree.Description}", () => PruneBench.LayerAsync(wheelhouse, tree));
    await Bench("site-packages", $"prune: {(quick ? tree.Description : "pyenv CPython 3.11 site-packages")}", () => PruneBench.SitePackagesAsync(wheelhouse, quick ? tree : null));
    await Bench("botocore", "prune: botocore-services [s3, dynamodb, cloudwatch]", () => PruneBench.BotocoreAsync(wheelhouse));
    await Bench("bytecode", $"bytecode: import {tree.Imports}", () => BytecodeBench.RunAsync(wheelhouse, tree, quick ? 1 : Math.Max(runs, 5)));
    // Many functions on one small layer: what grows is the number of functions, so the small tree is the subject in both modes.
    await Bench("many-functions", "many functions sharing one layer",
        () => ManyFunctionsBench.RunAsync(wheelhouse, BenchTree.Quick, quick ? [5] : [10, 100, 500]));
    await Bench("plan", "plan: layers chosen for synthetic apps", () =>
    {
        PlanBench.Run(quick ? [(10, 100)] : [(10, 100), (50, 250), (200, 500)], runs);
        return Task.CompletedTask;
    });
    await Bench("incremental", $"incremental builds: {(quick ? "a small app" : "the example app")}", () => IncrementalBench.RunAsync(wheelhouse, quick));
    await Bench("sync", "sync against deploy: a handler edit reaching Lambda, against moto", () => SyncBench.RunAsync(wheelhouse, quick, runs));
    // Not in all: two builds of the example and its handlers take minutes, and the quick tree has no handlers to trace.
    if (which == "traced") await Bench("traced", "prune: traced on the example (Predictions' three layers, each function on its own event)", () => TracedBench.RunAsync(wheelhouse));
}
catch (BenchFailedException e)
{
    Console.Error.WriteLine($"bench failed: {e.Message}");
    return 1;
}
catch (LambdaSlim.LambdaSlimException e)
{
    Console.Error.WriteLine($"bench failed: {e.OneLine}");
    return 1;
}
return 0;
