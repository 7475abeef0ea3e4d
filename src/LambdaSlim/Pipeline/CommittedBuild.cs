using System.Security.Cryptography;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>The last committed build, for commands that read it: refused unless every zip is what its report says.</summary>
public static class CommittedBuild
{
    public static BuildReport Load(BuildPaths paths)
    {
        if (!File.Exists(paths.Report))
            throw LambdaSlimException.Input($"nothing is built yet: no {paths.Report}", "run 'lambdaslim build' first");
        var report = BuildReport.TryLoad(paths.Report)
            ?? throw LambdaSlimException.Input($"{paths.Report} is damaged or from another version", "build again: lambdaslim build");
        foreach (var artifact in report.Layers.Concat(report.Functions))
            if (Mismatch(paths, artifact) is { } why)
                throw LambdaSlimException.Input($"{artifact.Zip} {why} since report.json was written", "build again: lambdaslim build");
        return report;
    }

    /// <summary>Why an artifact's zip is not the one its report describes, or null when it is.</summary>
    public static string? Mismatch(BuildPaths paths, ArtifactReport artifact) => Mismatch(Path.Combine(paths.Output, artifact.Zip), artifact);

    /// <summary>Why this zip is not the one the report describes, or null when it is.</summary>
    public static string? Mismatch(string zip, ArtifactReport artifact)
    {
        if (!File.Exists(zip)) return "is missing";
        using var stream = File.OpenRead(zip);
        if (stream.Length != artifact.ZippedBytes) return "has changed";
        return Convert.ToHexStringLower(SHA256.HashData(stream)) == artifact.Sha256 ? null : "has changed";
    }
}
