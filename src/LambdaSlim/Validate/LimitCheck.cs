using LambdaSlim.Model;

namespace LambdaSlim.Validate;

/// <summary>
/// Checks a build report against AWS's hard limits (errors) and the size targets (warnings). Pure: the report in,
/// findings out. Every violation names the function, the limit, the actual number, how far over it is, and the
/// three biggest contributors with what would cut each.
/// </summary>
public static class LimitCheck
{
    public static IReadOnlyList<Finding> Check(BuildReport report, Func<string, SizeTargets>? targets = null)
    {
        targets ??= _ => SizeTargets.From(Project.LambdaSlimSettings.None, Project.LambdaSlimSettings.None, "defaults");
        var findings = new List<Finding>();
        foreach (var fn in report.Totals)
        {
            var limitLayers = SizeLimits.MaxLayersPerFunction;
            if (fn.Layers.Count > limitLayers)
                findings.Add(new(Severity.Error, fn.LogicalId,
                    $"uses {fn.Layers.Count} layers, over Lambda's limit of {limitLayers} by {fn.Layers.Count - limitLayers} ({string.Join(", ", fn.Layers.Select(l => l.Name))}): merge layers, or move small ones into the function package"));
            var limit = SizeLimits.TotalUnzippedBytes;
            if (fn.TotalUnzippedBytes > limit)
                findings.Add(new(Severity.Error, fn.LogicalId,
                    $"function plus layers is {Bytes.Exact(fn.TotalUnzippedBytes)} unzipped, over Lambda's limit of {Bytes.Exact(limit)} by {Bytes.Exact(fn.TotalUnzippedBytes - limit)}; biggest: {Contributors(report, fn)}"));
            else if (fn.TotalUnzippedBytes > targets(fn.LogicalId).TotalUnzipped)
                findings.Add(new(Severity.Warning, fn.LogicalId,
                    $"function plus layers is {Bytes.Format(fn.TotalUnzippedBytes)}, over the target of {Bytes.Format(targets(fn.LogicalId).TotalUnzipped)} by {Bytes.Format(fn.TotalUnzippedBytes - targets(fn.LogicalId).TotalUnzipped)}; biggest: {Contributors(report, fn)}"));
            if (fn.TotalIsLowerBound)
                findings.Add(new(Severity.Info, fn.LogicalId, $"the total is a lower bound: {string.Join("; ", fn.Layers.Where(l => l.External && l.UnzippedBytes is null).Select(l => $"{l.Name}: {l.UnknownBecause ?? "size unknown"}"))}"));
        }
        findings.AddRange(LayerOverlaps(report));
        findings.AddRange(MissingAssumedLayers(report));
        foreach (var a in report.Layers.Concat(report.Functions))
        {
            var t = targets(a.LogicalId);
            var isLayer = a.Kind == ArtifactReport.LayerKind;
            var (unzippedTarget, zippedTarget) = isLayer ? (t.LayerUnzipped, t.LayerZipped) : (t.FunctionUnzipped, t.FunctionZipped);
            if (a.ZippedBytes > SizeLimits.DirectUploadZippedBytes)
                findings.Add(new(Severity.Warning, a.LogicalId,
                    $"zip is {Bytes.Format(a.ZippedBytes)}, over the {Bytes.Format(SizeLimits.DirectUploadZippedBytes)} direct-upload limit by {Bytes.Format(a.ZippedBytes - SizeLimits.DirectUploadZippedBytes)}: it must be deployed through S3 (sam deploy does this), or try --compression smallest or bytecode: sourceless"));
            else if (a.ZippedBytes > zippedTarget)
                findings.Add(new(Severity.Warning, a.LogicalId, $"zip is {Bytes.Format(a.ZippedBytes)}, over the {a.Kind} target of {Bytes.Format(zippedTarget)}"));
            if (a.UnzippedBytes > unzippedTarget)
                findings.Add(new(Severity.Warning, a.LogicalId,
                    $"{a.Kind} is {Bytes.Format(a.UnzippedBytes)} unzipped, over the target of {Bytes.Format(unzippedTarget)} by {Bytes.Format(a.UnzippedBytes - unzippedTarget)}; biggest: {string.Join("; ", a.Distributions.Take(3).Select(d => $"{d.Name} {Bytes.Format(d.UnzippedBytes)} ({SizeLimits.Advice(d.Name, isLayer)})"))}"));
            if (!isLayer && a.UnzippedBytes > SizeLimits.ConsoleEditorBytes)
                findings.Add(new(Severity.Info, a.LogicalId, $"package is over {Bytes.Format(SizeLimits.ConsoleEditorBytes)}, so the Lambda console will not show its code in the editor"));
        }
        return findings;
    }

    /// <summary>
    /// The three biggest distributions (or the function's own code, or a measured layer from outside the template)
    /// across a function and its layers, with advice.
    /// </summary>
    public static string Contributors(BuildReport report, FunctionTotalReport fn)
    {
        var parts = new List<(string Text, long Bytes)>();
        string Part(string name, string where, long bytes, bool inLayer) =>
            $"{name} {Bytes.Format(bytes)} in {where} ({(name == "your code" ? "exclude data files with 'exclude:' globs" : SizeLimits.Advice(name, inLayer))})";
        foreach (var l in fn.Layers.Where(l => !l.External))
            if (report.Layers.FirstOrDefault(a => a.LogicalId == l.Name) is { } layer)
                parts.AddRange(layer.Distributions.Select(d => (Part(d.Name, layer.LogicalId, d.UnzippedBytes, true), d.UnzippedBytes)));
        // A layer given by ARN is not built here, so it counts as one piece: its own contents are not known.
        foreach (var l in fn.Layers.Where(l => l.External && l.UnzippedBytes is > 0))
            parts.Add(($"layer {l.Name} (from outside the template) {Bytes.Format(l.UnzippedBytes!.Value)} (use a smaller version of it, or build what the function needs from it as a layer in the template)", l.UnzippedBytes.Value));
        if (report.Functions.FirstOrDefault(a => a.LogicalId == fn.LogicalId) is { } own)
        {
            parts.AddRange(own.Distributions.Select(d => (Part(d.Name, own.LogicalId, d.UnzippedBytes, false), d.UnzippedBytes)));
            var code = own.UnzippedBytes - own.Distributions.Sum(d => d.UnzippedBytes);
            if (code > 0) parts.Add((Part("your code", own.LogicalId, code, false), code));
        }
        return string.Join("; ", parts.OrderByDescending(p => p.Bytes).Take(3).Select(p => p.Text));
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
            // A layer listed twice is refused when the template is read; never advise a layer to assume itself.
            var used = fn.Layers.Where(l => !l.External && layers.ContainsKey(l.Name)).Select(l => layers[l.Name]).DistinctBy(l => l.LogicalId).ToList();
            var overlaps = used
                .SelectMany(l => l.Distributions.Select(d => (Layer: l.LogicalId, Dist: d)))
                .GroupBy(x => Model.Distribution.Normalize(x.Dist.Name))
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

