using System.Diagnostics;
using LambdaSlim.Plan;

namespace LambdaSlim.Bench;

/// <summary>
/// `lambdaslim plan`'s planner on synthetic applications (Plan/SyntheticApp: shared SDKs, families of functions with
/// their stacks, a long tail): the planning time, and the bytes each function loads and the bytes stored under the
/// plan, against one layer with everything and against no layers (each function bundles what it needs).
/// </summary>
public static class PlanBench
{
    public static void Run(IReadOnlyList<(int Functions, int Distributions)> sizes, int runs)
    {
        Console.WriteLine($"settings: SyntheticApp seed 1, Lambda's limits (5 layers, 262,144,000 bytes); planning only (no build); median of {runs} run{(runs == 1 ? "" : "s")}");
        Console.WriteLine($"  {"functions",9} {"dists",6} {"groups",7} {"method",7} {"plan ms",8} {"layers",7} {"fits",5} | {"loaded per function, MB: plan",30} {"one layer",10} {"no layers",10} | {"stored MB: plan",16} {"one layer",10} {"no layers",10} | {"unneeded MB",12} {"bound gap MB",13}");
        foreach (var (functions, distributions) in sizes)
        {
            var problem = SyntheticApp.Make(functions, distributions);
            var times = new List<double>();
            LayerPlan plan = null!;
            for (var r = 0; r < runs; r++)
            {
                var sw = Stopwatch.StartNew();
                plan = LayerPlanner.Plan(problem);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            if (!plan.Fits) throw new BenchFailedException($"no plan fits the synthetic app of {functions} functions: {plan.Failures[0].Why}");

            var bytes = problem.Items.ToDictionary(i => i.Key, i => i.Bytes);
            var needed = problem.Items.Where(i => problem.Functions.Any(f => f.Needs.Contains(i.Key))).Sum(i => i.Bytes);
            var oneLayer = problem.Functions.Select(f => f.OwnBytes + needed).ToList();
            var noLayers = problem.Functions.Select(f => f.OwnBytes + f.Needs.Sum(k => bytes[k])).ToList();
            var planned = plan.Functions.Select(f => f.LoadedBytes).ToList();
            var own = problem.Functions.Sum(f => f.OwnBytes);
            Console.WriteLine($"  {functions,9} {distributions,6} {plan.Groups,7} {plan.Method.ToString().ToLowerInvariant(),7} {times[times.Count / 2],8:0.0} {plan.Layers.Count,7} {plan.Fits,5} | {Mb(planned.Average()),30} {Mb(oneLayer.Average()),10} {Mb(noLayers.Average()),10} | {Mb(plan.StoredBytes + own),16} {Mb(needed + own),10} {Mb(noLayers.Sum()),10} | {Mb(plan.ExtraLoadedBytes),12} {Mb(plan.Gap),13}");
            Console.WriteLine($"  {"",9} {"",6} {"",7} {"",7} {"",8} {"",7} {"",5} | {"max " + Mb(planned.Max()),30} {"max " + Mb(oneLayer.Max()),10} {"max " + Mb(noLayers.Max()),10} | one layer over the limit for {oneLayer.Count(b => b > 262_144_000)} of {functions}");
        }
        Console.WriteLine("  loaded: own code, package and layers of each function (mean, then max); stored: every byte uploaded once; unneeded: bytes loaded that no");
        Console.WriteLine("  function imports, summed over functions; bound gap: how far the plan can be from the best plan in unneeded bytes (0 when exact)");
    }

    private static string Mb(double bytes) => (bytes / 1e6).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
