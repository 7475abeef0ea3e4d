using LambdaSlim.Report;

namespace LambdaSlim.Validate;

public enum Severity { Error, Warning, Info }

public sealed record Finding(Severity Severity, string Subject, string Message);

/// <summary>Checks a build report against AWS's hard limits. Pure: the report in, findings out.</summary>
public static class LimitCheck
{
    public static IReadOnlyList<Finding> Check(BuildReport report)
    {
        var findings = new List<Finding>();
        foreach (var fn in report.Totals)
        {
            if (fn.Layers.Count > SizeLimits.MaxLayersPerFunction)
                findings.Add(new(Severity.Error, fn.LogicalId,
                    $"uses {fn.Layers.Count} layers; Lambda allows {SizeLimits.MaxLayersPerFunction}: merge layers"));
            if (fn.TotalUnzippedBytes > SizeLimits.TotalUnzippedBytes)
                findings.Add(new(Severity.Error, fn.LogicalId,
                    $"function plus layers is {Bytes.Format(fn.TotalUnzippedBytes)} unzipped, over Lambda's {Bytes.Format(SizeLimits.TotalUnzippedBytes)} by {Bytes.Format(fn.TotalUnzippedBytes - SizeLimits.TotalUnzippedBytes)}: move packages to a layer other functions don't load, or prune"));
            if (fn.TotalIsLowerBound)
                findings.Add(new(Severity.Info, fn.LogicalId, "uses layers from outside the template; their size is not counted, so the total is a lower bound"));
        }
        findings.AddRange(LayerOverlaps(report));
        findings.AddRange(MissingAssumedLayers(report));
        foreach (var a in report.Layers.Concat(report.Functions))
        {
            if (a.ZippedBytes > SizeLimits.DirectUploadZippedBytes)
                findings.Add(new(Severity.Warning, a.LogicalId,
                    $"zip is {Bytes.Format(a.ZippedBytes)}, over the {Bytes.Format(SizeLimits.DirectUploadZippedBytes)} direct-upload limit: it must be deployed through S3 (sam deploy does this), or try --compression smallest"));
        }
        return findings;
    }

    /// <summary>
    /// A distribution in two layers of one function is extracted twice and counted twice against the limit;
    /// only the later layer's copy is used.
    /// </summary>
    public static IEnumerable<Finding> LayerOverlaps(BuildReport report)
    {
        var layers = report.Layers.ToDictionary(l => l.LogicalId);
        foreach (var fn in report.Totals)
        {
            var used = fn.Layers.Where(l => !l.External && layers.ContainsKey(l.Name)).Select(l => layers[l.Name]).ToList();
            var overlaps = used
                .SelectMany(l => l.Distributions.Select(d => (Layer: l.LogicalId, Dist: d)))
                .GroupBy(x => Install.Distribution.Normalize(x.Dist.Name))
                .Where(g => g.Count() > 1)
                .Select(g => g.ToList())
                .OrderByDescending(g => g.Sum(x => x.Dist.UnzippedBytes))
                .ToList();
            if (overlaps.Count == 0) continue;
            var wasted = overlaps.Sum(g => g.Sum(x => x.Dist.UnzippedBytes) - g[^1].Dist.UnzippedBytes);
            var detail = string.Join("; ", overlaps.Take(5).Select(g =>
                $"{g[0].Dist.Name} in {string.Join(" and ", g.Select(x => $"{x.Layer} ({x.Dist.Version})"))}"));
            yield return new Finding(Severity.Warning, fn.LogicalId,
                $"its layers carry {overlaps.Count} distributions twice, {Bytes.Format(wasted)} counted twice against the limit ({detail}{(overlaps.Count > 5 ? "; ..." : "")}); the last layer's copy wins: keep each distribution in one layer, e.g. set 'Metadata: LambdaSlim: assumes-layers: [{overlaps[0][0].Layer}]' on {overlaps[0][^1].Layer}");
        }
    }

    /// <summary>A layer that leaves out what an assumed layer provides breaks imports in a function without that layer.</summary>
    public static IEnumerable<Finding> MissingAssumedLayers(BuildReport report)
    {
        var layers = report.Layers.ToDictionary(l => l.LogicalId);
        foreach (var fn in report.Totals)
        {
            var names = fn.Layers.Select(l => l.Name).ToHashSet();
            foreach (var layer in fn.Layers.Where(l => layers.ContainsKey(l.Name)).Select(l => layers[l.Name]))
                foreach (var assumed in (layer.AssumesLayers ?? []).Where(a => !names.Contains(a)))
                    yield return new Finding(Severity.Error, fn.LogicalId,
                        $"uses {layer.LogicalId}, which assumes {assumed} and leaves out what it provides, but not {assumed}: add {assumed} to the function's Layers");
        }
    }
}

public static class Bytes
{
    public static string Format(long bytes) => bytes switch
    {
        >= 1_000_000 => $"{bytes / 1_000_000.0:0.0} MB",
        >= 1_000 => $"{bytes / 1_000.0:0.0} kB",
        _ => $"{bytes} B",
    };
}
