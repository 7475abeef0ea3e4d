using System.Text.Json;
using System.Text.Json.Serialization;

namespace LambdaSlim.Model;

public sealed record DistributionSize(string Name, string Version, long UnzippedBytes);

/// <summary>How an artifact's bytecode was made: the mode, the interpreter, how many .pyc it ships.</summary>
public sealed record BytecodeReport(string Mode, string? Python, int Files, int Failed, long Bytes = 0);

public sealed record RuleSaving(string Rule, int Files, long Bytes);

public sealed record PackageSaving(string Package, int Files, long Bytes);

public sealed record StripReport(string Tool, int Files, long BytesSaved);

/// <summary>What the prune stage removed from one artifact: by rule, by package, and by stripping debug symbols.</summary>
public sealed record PruneReport(string Level, int RemovedFiles, long RemovedBytes, IReadOnlyList<RuleSaving> ByRule, IReadOnlyList<PackageSaving> ByPackage, StripReport Strip)
{
    /// <summary>Unzipped bytes before pruning: what the install alone would have shipped.</summary>
    public long SavedBytes => RemovedBytes + Strip.BytesSaved;
}

/// <summary>A credential file left out of the user's code (path relative to the project), and what kind it is.</summary>
public sealed record LeftOutFile(string Path, string Reason);

/// <summary>One zip LambdaSlim made: a layer or a function package.</summary>
public sealed record ArtifactReport(
    string LogicalId,
    string Kind,
    string Runtime,
    string Architecture,
    string Zip,
    long UnzippedBytes,
    long ZippedBytes,
    int FileCount,
    string Sha256,
    IReadOnlyList<DistributionSize> Distributions,
    IReadOnlyList<string>? AssumesLayers = null,
    PruneReport? Prune = null,
    BytecodeReport? Bytecode = null,
    long UnprunedBytes = 0,
    IReadOnlyList<LeftOutFile>? LeftOutSecrets = null)
{
    public const string LayerKind = "layer";
    public const string FunctionKind = "function";
}

/// <summary>A layer a function uses, as the report shows it: built here (with its size) or external (size unknown).</summary>
public sealed record FunctionLayerReport(string Name, bool External, long? UnzippedBytes, string? UnknownBecause = null);

public sealed record FunctionTotalReport(
    string LogicalId,
    string Handler,
    IReadOnlyList<FunctionLayerReport> Layers,
    long TotalUnzippedBytes,
    bool TotalIsLowerBound);

public sealed record BuildReport(
    string Tool,
    string ToolVersion,
    string Template,
    string Compressor,
    IReadOnlyList<ArtifactReport> Layers,
    IReadOnlyList<ArtifactReport> Functions,
    IReadOnlyList<FunctionTotalReport> Totals)
{
    public const string FileName = "report.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static BuildReport? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<BuildReport>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; } // an old or damaged report is rebuilt, not trusted
    }
}
