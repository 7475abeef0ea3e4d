using System.Globalization;
using System.Text;
using LambdaSlim.Validate;
using LambdaSlim.Model;

namespace LambdaSlim.Report;

/// <summary>The build summary as plain aligned text: readable in a terminal, a CI log or a pull request.</summary>
public static class SummaryText
{
    public static string Render(BuildReport report, string outputDirForDisplay)
    {
        var sb = new StringBuilder();
        var rows = new List<string[]> { new[] { "artifact", "kind", "files", "unzipped", "zipped", "sha256" } };
        foreach (var a in report.Layers.Concat(report.Functions))
            rows.Add([a.LogicalId, a.Kind, a.FileCount.ToString("N0", CultureInfo.InvariantCulture), Bytes.Format(a.UnzippedBytes), Bytes.Format(a.ZippedBytes), a.Sha256[..12]]);
        AppendTable(sb, rows, rightAligned: [2, 3, 4]);

        if (report.Totals.Count > 0)
        {
            sb.AppendLine();
            var totals = new List<string[]> { new[] { "function", "layers", "with layers", "of 262,144,000 B" } };
            foreach (var t in report.Totals)
            {
                var pct = 100.0 * t.TotalUnzippedBytes / SizeLimits.TotalUnzippedBytes;
                totals.Add([t.LogicalId, string.Join(" + ", t.Layers.Select(l => l.Name)), (t.TotalIsLowerBound ? ">= " : "") + Bytes.Format(t.TotalUnzippedBytes), pct.ToString("0", CultureInfo.InvariantCulture) + "%"]);
            }
            AppendTable(sb, totals, rightAligned: [2, 3]);
        }
        sb.AppendLine();
        sb.AppendLine($"template: {outputDirForDisplay}/template.yaml");
        sb.AppendLine($"report:   {outputDirForDisplay}/{BuildReport.FileName}");
        return sb.ToString();
    }

    public static void AppendTable(StringBuilder sb, List<string[]> rows, int[] rightAligned)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => rightAligned.Contains(c) ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            sb.AppendLine(string.Join("  ", cells).TrimEnd());
        }
    }
}
