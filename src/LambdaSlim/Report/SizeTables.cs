using System.Globalization;
using System.Text;
using LambdaSlim.Validate;
using LambdaSlim.Model;

namespace LambdaSlim.Report;

/// <summary>
/// The seed's two tables, from measured numbers, as text or Markdown for a pull request: each component's size
/// before (the install as pip left it) and after (the built artifact), with the savings; and each AWS limit with
/// its target and the current size.
/// </summary>
public static class SizeTables
{
    public static string Render(BuildReport report, Func<string, SizeTargets> targets, IReadOnlyDictionary<string, ColdStartResult> coldStarts, bool markdown)
    {
        var sb = new StringBuilder();
        var before = new List<string[]> { new[] { "Component", "Before", "After", "of it bytecode", "Savings", "Cold-start import" } };
        foreach (var a in report.Layers.Concat(report.Functions))
            before.Add([a.LogicalId, Bytes.Format(a.UnprunedBytes), Bytes.Format(a.UnzippedBytes), Bytes.Format(a.Bytecode?.Bytes ?? 0), Savings(a.UnprunedBytes, a.UnzippedBytes),
                coldStarts.TryGetValue(a.LogicalId, out var c) ? $"{c.MedianImportMs:0} ms ({c.Speedup:0.0}x vs no .pyc)" : ""]);
        foreach (var t in report.Totals)
        {
            var parts = t.Layers.Select(l => report.Layers.FirstOrDefault(a => a.LogicalId == l.Name)).OfType<ArtifactReport>()
                .Concat(report.Functions.Where(f => f.LogicalId == t.LogicalId)).ToList();
            var b = parts.Sum(p => p.UnprunedBytes);
            before.Add([$"{t.LogicalId} with layers", Bytes.Format(b), (t.TotalIsLowerBound ? ">= " : "") + Bytes.Format(t.TotalUnzippedBytes), Bytes.Format(parts.Sum(p => p.Bytecode?.Bytes ?? 0)), Savings(b, t.TotalUnzippedBytes), ""]);
        }
        Table(sb, before, markdown, rightAligned: [1, 2, 3, 4, 5]);
        var pyc = report.Layers.Concat(report.Functions).Sum(a => a.Bytecode?.Bytes ?? 0);
        if (pyc > 0)
            sb.AppendLine().AppendLine($"Before is the install as pip left it; After is the artifact, including {Bytes.Format(pyc)} of bytecode compiled for the runtime, which keeps cold starts short (Lambda cannot cache bytecode itself).");
        sb.AppendLine();

        var limits = new List<string[]> { new[] { "Component", "AWS Limit", "Target", "Current", "Status" } };
        foreach (var a in report.Layers.Concat(report.Functions))
        {
            var tg = targets(a.LogicalId);
            var layer = a.Kind == ArtifactReport.LayerKind;
            limits.Add(Row($"{a.LogicalId} (unzipped)", SizeLimits.TotalUnzippedBytes, layer ? tg.LayerUnzipped : tg.FunctionUnzipped, a.UnzippedBytes));
            limits.Add(Row($"{a.LogicalId} (zipped)", SizeLimits.DirectUploadZippedBytes, layer ? tg.LayerZipped : tg.FunctionZipped, a.ZippedBytes, limitIsSoft: true));
        }
        foreach (var t in report.Totals)
        {
            limits.Add(Row($"{t.LogicalId} with layers", SizeLimits.TotalUnzippedBytes, targets(t.LogicalId).TotalUnzipped, t.TotalUnzippedBytes));
            limits.Add([$"{t.LogicalId} layers", SizeLimits.MaxLayersPerFunction.ToString(CultureInfo.InvariantCulture), "", t.Layers.Count.ToString(CultureInfo.InvariantCulture),
                t.Layers.Count > SizeLimits.MaxLayersPerFunction ? "OVER LIMIT" : "ok"]);
        }
        Table(sb, limits, markdown, rightAligned: [1, 2, 3]);
        return sb.ToString();
    }

    private static string[] Row(string name, long limit, long target, long current, bool limitIsSoft = false) =>
        [name, Bytes.Format(limit), Bytes.Format(target), Bytes.Format(current),
            current > limit ? (limitIsSoft ? "deploy via S3" : "OVER LIMIT") : current > target ? "over target" : "ok"];

    private static string Savings(long before, long after) =>
        before <= 0 ? "" : ((before - after) * 100.0 / before).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static void Table(StringBuilder sb, List<string[]> rows, bool markdown, int[] rightAligned)
    {
        if (!markdown) { SummaryText.AppendTable(sb, rows, rightAligned); return; }
        sb.AppendLine("| " + string.Join(" | ", rows[0]) + " |");
        sb.AppendLine("|" + string.Join("|", rows[0].Select((_, i) => rightAligned.Contains(i) ? "---:" : "---")) + "|");
        foreach (var r in rows.Skip(1)) sb.AppendLine("| " + string.Join(" | ", r.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
    }
}
