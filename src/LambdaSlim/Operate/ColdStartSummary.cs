namespace LambdaSlim.Operate;

/// <summary>
/// The init durations of the cold starts among some invocations: how many, and their minimum, median, 90th
/// percentile and maximum (nearest rank; the median of an even count is the mean of the middle two).
/// </summary>
public sealed record ColdStartSummary(int Invocations, int ColdStarts, double MinMs, double MedianMs, double P90Ms, double MaxMs)
{
    public static ColdStartSummary Of(IEnumerable<InvocationReport> reports)
    {
        var all = reports.ToList();
        var inits = all.Where(r => r.InitDurationMs is not null).Select(r => r.InitDurationMs!.Value).Order().ToList();
        if (inits.Count == 0) return new(all.Count, 0, 0, 0, 0, 0);
        var n = inits.Count;
        var median = n % 2 == 1 ? inits[n / 2] : (inits[(n / 2) - 1] + inits[n / 2]) / 2;
        var p90 = inits[(int)Math.Ceiling(0.9 * n) - 1];
        return new(all.Count, n, inits[0], median, p90, inits[^1]);
    }
}
