using System.Globalization;
using System.Text;
using System.Text.Json;
using LambdaSlim.Model;

namespace LambdaSlim.Plan;

/// <summary>A plan as text for the terminal, Markdown for a pull request, or JSON for scripts.</summary>
public static class PlanText
{
    public static string Json(PlanReport report) => JsonSerializer.Serialize(report, BuildReport.Json) + "\n";

    public static string Text(PlanReport report)
    {
        var plan = report.Plan;
        var sb = new StringBuilder();
        sb.AppendLine(Headline(report));
        if (!plan.Fits)
        {
            sb.AppendLine();
            sb.AppendLine("no plan fits:");
            foreach (var f in plan.Failures) sb.AppendLine($"  {Failure(f)}");
        }
        sb.AppendLine();
        sb.AppendLine("layers");
        foreach (var l in plan.Layers)
        {
            sb.AppendLine($"  {l.Name}  {Bytes.Format(l.Bytes)} unzipped, zip about {Bytes.Format(l.EstimatedZipBytes)}{(l.NeedsS3Upload ? " (over 50 MB: uploaded through S3, as deploy does)" : "")}, for {string.Join(", ", l.UsedBy)}");
            sb.AppendLine($"      {string.Join(", ", l.Items.Select(i => $"{i.Display} {Bytes.Format(i.Bytes)}"))}");
        }
        if (plan.Layers.Count == 0) sb.AppendLine("  (none: no distribution is needed by two functions)");
        sb.AppendLine();
        sb.AppendLine("functions");
        foreach (var f in plan.Functions)
        {
            sb.AppendLine($"  {f.LogicalId}  {Bytes.Format(f.LoadedBytes)} of {Bytes.Format(report.Limits.MaxUnzippedBytes)} ({Percent(f.LoadedBytes, report.Limits.MaxUnzippedBytes)}) with {f.LayerCount} of {report.Limits.MaxLayers} layers{Now(report, f)}");
            sb.AppendLine($"      layers: {(f.LayerCount == 0 ? "none" : string.Join(", ", f.Layers.Concat(f.FixedLayers.Select(x => x.Display))))}");
            if (f.InPackage.Count > 0)
                sb.AppendLine($"      package: {string.Join(", ", f.InPackage.Select(i => i.Display))}{PackageNote(f)}");
            if (f.UnneededBytes > 0) sb.AppendLine($"      loads {Bytes.Format(f.UnneededBytes)} it does not import (layers shared to stay within {report.Limits.MaxLayers})");
        }
        if (plan.Unused.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"not needed by any function: {string.Join(", ", plan.Unused.Select(i => i.Display))}");
        }
        sb.AppendLine();
        sb.AppendLine("changes");
        foreach (var c in report.Changes) sb.AppendLine($"  - {c}");
        if (report.Changes.Count == 0) sb.AppendLine("  none: the template already has this plan");
        if (report.Notes.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("notes");
            foreach (var n in report.Notes) sb.AppendLine($"  - {n}");
        }
        return sb.ToString();
    }

    public static string Markdown(PlanReport report)
    {
        var plan = report.Plan;
        var sb = new StringBuilder();
        sb.AppendLine("## LambdaSlim layer plan");
        sb.AppendLine();
        sb.AppendLine(Headline(report));
        if (!plan.Fits)
        {
            sb.AppendLine();
            sb.AppendLine("**No plan fits:**");
            sb.AppendLine();
            foreach (var f in plan.Failures) sb.AppendLine($"- {Failure(f)}");
        }
        sb.AppendLine();
        sb.AppendLine("| layer | unzipped | zip (estimated) | used by | contents |");
        sb.AppendLine("|---|---:|---:|---|---|");
        foreach (var l in plan.Layers)
            sb.AppendLine($"| {l.Name} | {Bytes.Format(l.Bytes)} | {Bytes.Format(l.EstimatedZipBytes)}{(l.NeedsS3Upload ? " (S3 upload)" : "")} | {string.Join(", ", l.UsedBy)} | {string.Join(", ", l.Items.Select(i => i.Display))} |");
        sb.AppendLine();
        sb.AppendLine("| function | layers | package holds | loads | of limit | now |");
        sb.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var f in plan.Functions)
            sb.AppendLine($"| {f.LogicalId} | {string.Join(", ", f.Layers.Concat(f.FixedLayers.Select(x => x.Display)))} | {string.Join(", ", f.InPackage.Select(i => i.Display))}{PackageNote(f)} | {Bytes.Format(f.LoadedBytes)} | {Percent(f.LoadedBytes, report.Limits.MaxUnzippedBytes)} | {(report.LoadedNow.TryGetValue(f.LogicalId, out var now) ? Bytes.Format(now) : "")} |");
        sb.AppendLine();
        sb.AppendLine("### Changes");
        sb.AppendLine();
        foreach (var c in report.Changes) sb.AppendLine($"- {c}");
        if (report.Changes.Count == 0) sb.AppendLine("None: the template already has this plan.");
        if (report.Notes.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("### Notes");
            sb.AppendLine();
            foreach (var n in report.Notes) sb.AppendLine($"- {n}");
        }
        return sb.ToString();
    }

    private static string Headline(PlanReport report)
    {
        var plan = report.Plan;
        var how = plan.Method == PlanMethod.Exact
            ? $"optimal: branch and bound over all {plan.Groups} shared groups"
            : $"greedy over {plan.Groups} shared groups: at most {Bytes.Format(plan.Gap)} more loaded in all than the best plan";
        return $"plan: {plan.Layers.Count} layer{(plan.Layers.Count == 1 ? "" : "s")} for {plan.Functions.Count} function{(plan.Functions.Count == 1 ? "" : "s")}, {Bytes.Format(plan.StoredBytes)} stored, {Bytes.Format(plan.ExtraLoadedBytes)} loaded that no function imports ({how})";
    }

    private static string Failure(PlanFailure f)
    {
        var over = f.Why.Contains("layers", StringComparison.Ordinal) && f.OverBy < 100 ? $"{f.OverBy} layer{(f.OverBy == 1 ? "" : "s")} too many" : $"over by {Bytes.Exact(f.OverBy)}";
        return $"{f.Function}: {f.Why}; {over}; biggest: {string.Join(", ", f.Contributors.Select(c => $"{c.Name} ({Bytes.Format(c.Bytes)})"))}";
    }

    private static string Now(PlanReport report, PlannedFunction f) =>
        report.LoadedNow.TryGetValue(f.LogicalId, out var now) ? $"; now {Bytes.Format(now)} with {report.LayersNow[f.LogicalId]}" : "";

    private static string PackageNote(PlannedFunction f) =>
        f.PackageNeedsS3Upload ? $" (zip about {Bytes.Format(f.EstimatedPackageZipBytes)}: over 50 MB, it needs the S3 upload path, which deploy uses)" : "";

    private static string Percent(long part, long whole) => (100.0 * part / whole).ToString("0", CultureInfo.InvariantCulture) + "%";
}
