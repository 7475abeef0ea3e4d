using System.IO.Compression;
using System.Text.RegularExpressions;
using LambdaSlim.Model;

namespace LambdaSlim.Plan;

/// <summary>
/// What a committed zip holds, read from the zip itself (checked against report.json's sha256 before): its
/// distributions (METADATA's Name, Version and Requires-Dist; the report's size), which top-level module each provides
/// (top_level.txt, else the module named as the distribution), and the bytes of the files no distribution owns (the
/// resource's own files). <see cref="Modules"/> maps a module to a distribution's normalized name, or to null for own files.
/// </summary>
public sealed partial record BuiltArtifact(
    ArtifactReport Report,
    IReadOnlyDictionary<string, BuiltDistribution> Distributions,
    IReadOnlyDictionary<string, string?> Modules,
    long OwnBytes)
{
    public string LogicalId => Report.LogicalId;
    public bool IsLayer => Report.Kind == ArtifactReport.LayerKind;

    public static BuiltArtifact Read(ArtifactReport report, string zipPath)
    {
        var prefix = report.Kind == ArtifactReport.LayerKind ? "python/" : "";
        using var zip = ZipFile.OpenRead(zipPath);
        var sizes = report.Distributions.GroupBy(d => Distribution.Normalize(d.Name)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var distributions = new Dictionary<string, BuiltDistribution>(StringComparer.Ordinal);
        var topLevel = new Dictionary<string, string>(StringComparer.Ordinal);
        var tops = new SortedSet<string>(StringComparer.Ordinal);
        var distInfos = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (!entry.FullName.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = entry.FullName[prefix.Length..];
            var slash = rest.IndexOf('/');
            var first = slash < 0 ? rest : rest[..slash];
            if (first.EndsWith(".dist-info", StringComparison.Ordinal))
            {
                if (rest == first + "/METADATA") distInfos[first] = ReadMetadata(entry, first, sizes, distributions);
                continue;
            }
            // Console scripts (bin/) and the bytecode of top-level modules (__pycache__/) are not modules of their own.
            if (first is "bin" or "__pycache__") continue;
            if (slash > 0 && Identifier().IsMatch(first)) tops.Add(first);
            else if (slash < 0 && first.EndsWith(".py", StringComparison.Ordinal) && Identifier().IsMatch(first[..^3])) tops.Add(first[..^3]);
            else if (slash < 0 && first.Contains(".so", StringComparison.Ordinal) && Identifier().IsMatch(first[..first.IndexOf('.')])) tops.Add(first[..first.IndexOf('.')]);
        }
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith(prefix, StringComparison.Ordinal) && e.FullName.EndsWith(".dist-info/top_level.txt", StringComparison.Ordinal)))
        {
            var distInfo = entry.FullName[prefix.Length..].Split('/')[0];
            if (!distInfos.TryGetValue(distInfo, out var owner)) continue;
            using var reader = new StreamReader(entry.Open());
            foreach (var line in reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
                topLevel.TryAdd(line.Split('/')[0], owner);
        }
        var modules = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var module in tops)
        {
            if (topLevel.TryGetValue(module, out var dist)) modules[module] = dist;
            else modules[module] = distributions.ContainsKey(Distribution.Normalize(module)) ? Distribution.Normalize(module) : null;
        }
        var own = Math.Max(0, report.UnzippedBytes - distributions.Values.Sum(d => d.Bytes));
        return new BuiltArtifact(report, distributions, modules, own);
    }

    private static string ReadMetadata(ZipArchiveEntry entry, string distInfo, Dictionary<string, DistributionSize> sizes, Dictionary<string, BuiltDistribution> into)
    {
        string? name = null, version = null;
        var requires = new List<string>();
        using var reader = new StreamReader(entry.Open());
        while (reader.ReadLine() is { } line && line.Length > 0)
        {
            if (line.StartsWith("Name:", StringComparison.OrdinalIgnoreCase)) name = line[5..].Trim();
            else if (line.StartsWith("Version:", StringComparison.OrdinalIgnoreCase)) version = line[8..].Trim();
            else if (line.StartsWith("Requires-Dist:", StringComparison.OrdinalIgnoreCase))
            {
                var spec = line[14..];
                var marker = spec.IndexOf(';');
                // An extra is asked for by name; nothing here asks for one, so its requirements are not needed.
                if (marker >= 0 && spec[marker..].Contains("extra", StringComparison.Ordinal)) continue;
                if (RequirementName().Match(spec) is { Success: true } m) requires.Add(Distribution.Normalize(m.Value));
            }
        }
        name ??= distInfo[..distInfo.IndexOf('-', StringComparison.Ordinal)];
        var key = Distribution.Normalize(name);
        var size = sizes.GetValueOrDefault(key);
        into[key] = new BuiltDistribution(name, version ?? size?.Version ?? "unknown", size?.UnzippedBytes ?? 0, requires);
        return key;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?<=^\s*)[A-Za-z0-9][A-Za-z0-9._-]*")]
    private static partial Regex RequirementName();
}
