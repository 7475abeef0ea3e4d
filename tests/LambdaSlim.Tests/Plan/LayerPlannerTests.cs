using LambdaSlim.Plan;

namespace LambdaSlim.Tests.Plan;

/// <summary>The planner on applications whose best plan is known by construction. No processes, no files.</summary>
public class LayerPlannerTests
{
    private const long MB = 1_000_000;

    private static PlanItem D(string name, long bytes, string version = "1.0") => PlanItem.Dist(name, version, bytes);

    private static PlanFunction F(string id, params PlanItem[] needs) => new(id, 10_000, needs.Select(i => i.Key).ToList());

    private static PlanFunction F(string id, int arnLayers, params PlanItem[] needs) =>
        new(id, 10_000, needs.Select(i => i.Key).ToList(), Enumerable.Range(1, arnLayers).Select(i => new FixedLayer($"arn:aws:lambda:us-east-1:123456789012:layer:x{i}:1", 1 * MB)).ToList());

    private static LayerPlan Plan(IEnumerable<PlanItem> items, params PlanFunction[] functions) =>
        LayerPlanner.Plan(new PlanProblem(items.ToList(), functions, PlanLimits.Lambda()));

    private static IEnumerable<string> Contents(LayerPlan plan) =>
        plan.Layers.Select(l => string.Join("+", l.Items.Select(i => i.Name).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal);

    [Fact]
    public void The_function_that_alone_imports_scipy_keeps_it_and_the_others_stop_loading_it()
    {
        var (numpy, pandas, scipy, sklearn) = (D("numpy", 20 * MB), D("pandas", 33 * MB), D("scipy", 57 * MB), D("scikit-learn", 28 * MB));
        var plan = Plan([numpy, pandas, scipy, sklearn],
            F("Validate", numpy, pandas), F("Features", numpy, pandas), F("Predict", numpy, pandas, scipy, sklearn));

        plan.Fits.ShouldBeTrue();
        Contents(plan).ShouldBe(["numpy+pandas"]);
        var predict = plan.Functions.Single(f => f.LogicalId == "Predict");
        predict.InPackage.Select(i => i.Name).ShouldBe(["scipy", "scikit-learn"]);
        foreach (var other in plan.Functions.Where(f => f.LogicalId != "Predict"))
        {
            other.LoadedBytes.ShouldBe(10_000 + 53 * MB);
            other.UnneededBytes.ShouldBe(0);
        }
        plan.ExtraLoadedBytes.ShouldBe(0);
    }

    [Fact]
    public void Without_a_binding_limit_every_usage_signature_is_its_own_layer_and_nothing_is_loaded_for_nothing()
    {
        var (a, b, c, d) = (D("a", 5 * MB), D("b", 4 * MB), D("c", 3 * MB), D("d", 2 * MB));
        var plan = Plan([a, b, c, d], F("F1", a, b), F("F2", a, b, c), F("F3", a, c, d), F("F4", d));

        Contents(plan).ShouldBe(["a", "b", "c", "d"]);
        plan.ExtraLoadedBytes.ShouldBe(0);
        plan.Method.ShouldBe(PlanMethod.Exact);
        plan.StoredBytes.ShouldBe(14 * MB);
    }

    [Fact]
    public void When_a_function_has_too_many_layers_the_merges_that_load_the_fewest_unneeded_bytes_are_chosen()
    {
        // Hub needs a layer every function needs (All) and six it shares with one other function each: 7 layers, 5 allowed.
        // Merging gi and gj costs size(i) + size(j) (Si loads gj, Sj loads gi); merging a small gi into All costs 5 × size(i).
        // Optimum by enumeration of the cheap options: {All, g6} costs 50, {g5, g4} costs 90: 140 in all, against
        // {g6, g5} + {g4, g3} = 180, or {All, g6, g5} = 150.
        var all = D("all", 1000);
        var g = new[] { 100, 90, 80, 70, 20, 10 }.Select((s, i) => D($"g{i + 1}", s)).ToArray();
        var spokes = g.Select((gi, i) => F($"Spoke{i + 1}", all, gi)).ToArray();
        var plan = Plan([all, .. g], [F("Hub", [all, .. g]), .. spokes]);

        plan.Fits.ShouldBeTrue();
        plan.Method.ShouldBe(PlanMethod.Exact);
        plan.ExtraLoadedBytes.ShouldBe(140);
        Contents(plan).ShouldBe(["all+g6", "g1", "g2", "g3", "g4+g5"]);
        plan.Functions.Single(f => f.LogicalId == "Hub").LayerCount.ShouldBe(5);
    }

    [Fact]
    public void Layers_given_by_arn_count_against_the_five()
    {
        var (a, b, c) = (D("a", 3 * MB), D("b", 2 * MB), D("c", 1 * MB));
        var plan = Plan([a, b, c], F("F1", 3, a, b, c), F("F2", a), F("F3", b), F("F4", c));

        plan.Fits.ShouldBeTrue();
        var f1 = plan.Functions.Single(f => f.LogicalId == "F1");
        f1.LayerCount.ShouldBe(5);
        f1.Layers.Count.ShouldBe(2);
        // The cheapest merge puts the two smallest together: F3 loads c and F4 loads b.
        Contents(plan).ShouldBe(["a", "b+c"]);
    }

    [Fact]
    public void Two_versions_of_a_distribution_never_share_a_layer_nor_a_function()
    {
        var six = D("six", 1 * MB);
        var numpy1 = D("numpy", 20 * MB, "1.24.2");
        var numpy2 = D("numpy", 25 * MB, "2.1.0");
        // A may load one planned layer: six and numpy 1.24 must share it, which C (no numpy) may load.
        var plan = Plan([six, numpy1, numpy2], F("A", 4, six, numpy1), F("B", six, numpy1), F("C", six), F("D", numpy2));

        plan.Fits.ShouldBeTrue();
        Contents(plan).ShouldBe(["numpy+six"]);
        plan.Layers.Single().Items.Single(i => i.Name == "numpy").Version.ShouldBe("1.24.2");
        plan.Functions.Single(f => f.LogicalId == "D").InPackage.Single().Version.ShouldBe("2.1.0");
        plan.Functions.Single(f => f.LogicalId == "D").Layers.ShouldBeEmpty();

        // E needs six with numpy 2: it would load numpy 1.24 from the only layer A can have. No plan fits.
        var conflicted = Plan([six, numpy1, numpy2], F("A", 4, six, numpy1), F("B", six, numpy1), F("C", six), F("D", numpy2), F("E", six, numpy2));

        conflicted.Fits.ShouldBeFalse();
        var failure = conflicted.Failures.Single();
        failure.Function.ShouldBe("A");
        failure.OverBy.ShouldBe(1);
        failure.Why.ShouldContain("different versions of one distribution");
    }

    [Fact]
    public void A_function_over_the_size_limit_with_only_what_it_imports_is_named_with_how_far_over_and_its_biggest_parts()
    {
        var (torch, scipy, pandas, six) = (D("torch", 180 * MB), D("scipy", 57 * MB), D("pandas", 33 * MB), D("six", 100_000));
        var plan = Plan([torch, scipy, pandas, six], F("Train", torch, scipy, pandas, six), F("Report", pandas, six));

        plan.Fits.ShouldBeFalse();
        var failure = plan.Failures.Single();
        failure.Function.ShouldBe("Train");
        failure.OverBy.ShouldBe(10_000 + 270_100_000 - 262_144_000);
        failure.Contributors.Select(c => c.Name).ShouldBe(["torch 1.0", "scipy 1.0", "pandas 1.0"]);
    }

    [Fact]
    public void Distributions_no_function_needs_are_left_out_and_named()
    {
        var (pandas, boto3) = (D("pandas", 33 * MB), D("boto3", 1 * MB));
        var plan = Plan([pandas, boto3], F("A", pandas), F("B", pandas));

        plan.Unused.Select(i => i.Name).ShouldBe(["boto3"]);
        plan.StoredBytes.ShouldBe(33 * MB);
    }

    [Fact]
    public void Branch_and_bound_finds_what_trying_every_partition_finds()
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var problem = Random(seed);
            var plan = LayerPlanner.Plan(problem);
            var best = BruteForce(problem);
            if (best is null)
            {
                plan.Fits.ShouldBeFalse($"seed {seed}");
                continue;
            }
            plan.Fits.ShouldBeTrue($"seed {seed}");
            plan.Method.ShouldBe(PlanMethod.Exact);
            (plan.ExtraLoadedBytes, plan.Layers.Count).ShouldBe(best.Value, $"seed {seed}");
        }
    }

    [Fact]
    public void Greedy_plans_fit_and_stay_within_their_stated_bound_of_the_optimum()
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var problem = Random(seed);
            var exact = LayerPlanner.Plan(problem);
            var greedy = LayerPlanner.Plan(problem with { Limits = problem.Limits with { ExactGroupLimit = 0 } });
            if (!greedy.Fits) continue;
            greedy.Method.ShouldBe(PlanMethod.Greedy);
            exact.Fits.ShouldBeTrue();
            greedy.ExtraLoadedLowerBound.ShouldBeLessThanOrEqualTo(exact.ExtraLoadedBytes, $"seed {seed}");
            greedy.ExtraLoadedBytes.ShouldBeGreaterThanOrEqualTo(exact.ExtraLoadedBytes, $"seed {seed}");
            (greedy.ExtraLoadedBytes - exact.ExtraLoadedBytes).ShouldBeLessThanOrEqualTo(greedy.Gap, $"seed {seed}");
        }
    }

    [Fact]
    public void Two_hundred_functions_and_five_hundred_distributions_get_a_plan_every_function_fits()
    {
        var problem = SyntheticApp.Make(200, 500);
        var plan = LayerPlanner.Plan(problem);

        plan.Method.ShouldBe(PlanMethod.Greedy);
        plan.Fits.ShouldBeTrue();
        plan.Functions.Count.ShouldBe(200);
        foreach (var f in plan.Functions)
        {
            f.LayerCount.ShouldBeLessThanOrEqualTo(5);
            f.LoadedBytes.ShouldBeLessThanOrEqualTo(262_144_000);
            // Everything it needs is in its package or one of its layers.
            var have = f.InPackage.Select(i => i.Key).Concat(plan.Layers.Where(l => f.Layers.Contains(l.Name)).SelectMany(l => l.Items).Select(i => i.Key)).ToHashSet();
            problem.Functions.Single(p => p.LogicalId == f.LogicalId).Needs.ShouldAllBe(k => have.Contains(k));
        }
        // Each needed distribution is stored once.
        plan.Layers.SelectMany(l => l.Items).Concat(plan.Functions.SelectMany(f => f.InPackage)).Select(i => i.Key).ShouldBeUnique();
        plan.ExtraLoadedBytes.ShouldBeGreaterThanOrEqualTo(plan.ExtraLoadedLowerBound);
    }

    /// <summary>Up to 7 shared groups over 6 functions, some with layers given by ARN, some distributions in two versions.</summary>
    private static PlanProblem Random(int seed)
    {
        var random = new Random(seed);
        var items = Enumerable.Range(0, 8).Select(i => D($"d{i % 6}", random.Next(1, 50) * MB, i >= 6 ? "2.0" : "1.0")).ToList();
        var functions = Enumerable.Range(0, 6).Select(f =>
        {
            var needs = items.Where(_ => random.NextDouble() < 0.5).GroupBy(i => i.Name).Select(g => g.First()).ToArray();
            return F($"F{f}", random.Next(0, 4), needs);
        }).ToArray();
        return new PlanProblem(items, functions, PlanLimits.Lambda());
    }

    /// <summary>The best (unneeded bytes, layers) over every partition of the shared items into layers, or null when none fits.</summary>
    private static (long, int)? BruteForce(PlanProblem problem)
    {
        var users = problem.Items.ToDictionary(i => i.Key, i => problem.Functions.Where(f => f.Needs.Contains(i.Key)).Select(f => f.LogicalId).ToHashSet());
        var shared = problem.Items.Where(i => users[i.Key].Count > 1).ToList();
        var sigs = shared.GroupBy(i => string.Join(",", users[i.Key].Order())).Select(g => g.ToList()).ToList();
        // Groups that hold two versions of one name are split, as the planner splits them.
        var groups = sigs.SelectMany(g => g.GroupBy(i => i.Name).Count() == g.Count ? [g] : g.Select(i => new List<PlanItem> { i })).ToList();
        (long, int)? best = null;
        foreach (var partition in Partitions(groups.Count))
        {
            var layers = partition.Select(block => block.SelectMany(b => groups[b]).ToList()).ToList();
            if (layers.Any(l => l.GroupBy(i => i.Name).Any(n => n.Count() > 1))) continue;
            long waste = 0;
            var fits = true;
            foreach (var f in problem.Functions)
            {
                var loadedLayers = layers.Where(l => l.Any(i => f.Needs.Contains(i.Key))).ToList();
                if (loadedLayers.Count + f.Fixed.Count > 5) fits = false;
                var names = f.Needs.Select(k => problem.Items.First(i => i.Key == k)).ToDictionary(i => i.Name, i => i.Key);
                if (loadedLayers.SelectMany(l => l).Any(i => names.TryGetValue(i.Name, out var mine) && mine != i.Key)) fits = false;
                var inPackage = problem.Items.Where(i => users[i.Key].Count == 1 && users[i.Key].Contains(f.LogicalId)).Sum(i => i.Bytes);
                var loaded = f.OwnBytes + inPackage + f.Fixed.Sum(l => l.Bytes ?? 0) + loadedLayers.Sum(l => l.Sum(i => i.Bytes));
                if (loaded > 262_144_000) fits = false;
                waste += loadedLayers.SelectMany(l => l).Where(i => !f.Needs.Contains(i.Key)).Sum(i => i.Bytes);
            }
            if (!fits) continue;
            if (best is null || waste < best.Value.Item1 || (waste == best.Value.Item1 && layers.Count < best.Value.Item2)) best = (waste, layers.Count);
        }
        return best;
    }

    private static IEnumerable<List<List<int>>> Partitions(int n)
    {
        if (n == 0) { yield return []; yield break; }
        foreach (var rest in Partitions(n - 1))
        {
            for (var b = 0; b < rest.Count; b++)
            {
                var copy = rest.Select(x => x.ToList()).ToList();
                copy[b].Add(n - 1);
                yield return copy;
            }
            yield return [.. rest.Select(x => x.ToList()), [n - 1]];
        }
    }
}
