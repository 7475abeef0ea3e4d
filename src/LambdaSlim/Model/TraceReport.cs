namespace LambdaSlim.Model;

/// <summary>
/// What prune: traced kept of one distribution (or of the artifact's own files, as "(your files)"): bytes kept and
/// dropped, how many of its modules the events imported, and which events touched it.
/// </summary>
public sealed record TracedDistribution(
    string Name, int KeptFiles, long KeptBytes, int DroppedFiles, long DroppedBytes, int ModulesExercised, int Modules, IReadOnlyList<string> Events)
{
    /// <summary>The share of the distribution's modules the events imported, 0 to 1.</summary>
    public double ModuleShare => Modules == 0 ? 0 : (double)ModulesExercised / Modules;
}

/// <summary>A file prune: traced kept, and why: the events that touched it, an allowlist reason, trace-keep, or metadata.</summary>
public sealed record TracedFile(string Path, string Why);

/// <summary>What prune: traced did to one artifact: the events it ran, and per distribution what it kept and dropped.</summary>
public sealed record TraceReport(IReadOnlyList<string> Events, long KeptBytes, long DroppedBytes, IReadOnlyList<TracedDistribution> Distributions, IReadOnlyList<TracedFile> Kept)
{
    /// <summary>How the report names installed files that belong to no distribution.</summary>
    public const string NoDistribution = "(no distribution)";

    /// <summary>Why a file that tracing left out ships after all: a replay needed it, and --repair put it back.</summary>
    public const string RestoredByRepair = "put back by --repair: an event's replay needed it";

    /// <summary>The report after --repair put files back (path, owning distribution, size): they count as kept, with the reason.</summary>
    public TraceReport WithRestored(IReadOnlyList<(string Path, string? Owner, long Size)> restored)
    {
        if (restored.Count == 0) return this;
        var byOwner = restored.GroupBy(r => r.Owner ?? NoDistribution, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (Files: g.Count(), Bytes: g.Sum(r => r.Size)), StringComparer.Ordinal);
        var distributions = Distributions.Select(d => byOwner.TryGetValue(d.Name, out var back)
            ? d with { KeptFiles = d.KeptFiles + back.Files, KeptBytes = d.KeptBytes + back.Bytes, DroppedFiles = d.DroppedFiles - back.Files, DroppedBytes = d.DroppedBytes - back.Bytes }
            : d).ToList();
        var moved = restored.Sum(r => r.Size);
        var kept = Kept.Concat(restored.Select(r => new TracedFile(r.Path, RestoredByRepair))).OrderBy(k => k.Path, StringComparer.Ordinal).ToList();
        return this with { KeptBytes = KeptBytes + moved, DroppedBytes = DroppedBytes - moved, Distributions = distributions, Kept = kept };
    }
}
