namespace LambdaSlim.Plan;

/// <summary>
/// A made-up application of the shape real ones have, for the planner's tests and benchmark: a few distributions every
/// function needs (an SDK, numpy), families of functions that share a stack (data science, ML, web), and a long tail of
/// small distributions each function picks a few of. Deterministic for a seed.
/// </summary>
public static class SyntheticApp
{
    public static PlanProblem Make(int functions, int distributions, int seed = 1, PlanLimits? limits = null)
    {
        var random = new Random(seed);
        var items = new List<PlanItem>();
        for (var d = 0; d < distributions; d++)
        {
            // Log-uniform between 20 kB and 25 MB: most distributions are small, a few are big.
            var bytes = (long)Math.Exp(Math.Log(20_000) + random.NextDouble() * (Math.Log(25_000_000) - Math.Log(20_000)));
            items.Add(PlanItem.Dist($"dist{d:D3}", "1.0", bytes));
        }
        var common = Math.Min(3, distributions);
        var families = Math.Max(1, Math.Min(6, functions / 5));
        var perFamily = Math.Max(1, Math.Min(8, (distributions - common) / (2 * families)));
        var tailStart = common + families * perFamily;
        var list = new List<PlanFunction>();
        for (var f = 0; f < functions; f++)
        {
            var needs = new HashSet<string>(StringComparer.Ordinal);
            for (var d = 0; d < common; d++) needs.Add(items[d].Key);
            var family = f % families;
            for (var d = 0; d < perFamily; d++)
                if (random.NextDouble() < 0.8 && common + family * perFamily + d < distributions) needs.Add(items[common + family * perFamily + d].Key);
            if (tailStart < distributions)
                for (var k = 0; k < 4; k++) needs.Add(items[random.Next(tailStart, distributions)].Key);
            list.Add(new PlanFunction($"Function{f:D3}", 20_000 + random.Next(200_000), needs.Order(StringComparer.Ordinal).ToList()));
        }
        return new PlanProblem(items, list, limits ?? PlanLimits.Lambda());
    }
}
