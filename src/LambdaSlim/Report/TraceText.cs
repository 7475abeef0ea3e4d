using System.Globalization;
using System.Text;
using LambdaSlim.Model;

namespace LambdaSlim.Report;

/// <summary>What prune: traced kept of an artifact, as text: per distribution, bytes kept and dropped, the share of its modules the events imported, and the events.</summary>
public static class TraceText
{
    public static void Append(StringBuilder sb, TraceReport trace)
    {
        sb.AppendLine($"traced on {trace.Events.Count} event{(trace.Events.Count == 1 ? "" : "s")}: kept {Bytes.Format(trace.KeptBytes)}, dropped {Bytes.Format(trace.DroppedBytes)} no event touched");
        var rows = new List<string[]> { new[] { "distribution", "kept", "dropped", "modules exercised", "events" } };
        rows.AddRange(trace.Distributions.Select(d => new[]
        {
            d.Name, Bytes.Format(d.KeptBytes), Bytes.Format(d.DroppedBytes), Share(d), string.Join(", ", d.Events),
        }));
        SummaryText.AppendTable(sb, rows, rightAligned: [1, 2, 3]);
    }

    /// <summary>"12 of 340 (3.5%)".</summary>
    public static string Share(TracedDistribution d) =>
        d.Modules == 0 ? "-" : $"{d.ModulesExercised.ToString("N0", CultureInfo.InvariantCulture)} of {d.Modules.ToString("N0", CultureInfo.InvariantCulture)} ({(100 * d.ModuleShare).ToString("0.0", CultureInfo.InvariantCulture)}%)";
}
