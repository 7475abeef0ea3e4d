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
public sealed record TraceReport(IReadOnlyList<string> Events, long KeptBytes, long DroppedBytes, IReadOnlyList<TracedDistribution> Distributions, IReadOnlyList<TracedFile> Kept);
