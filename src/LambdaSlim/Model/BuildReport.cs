using System.Text.Json;
using System.Text.Json.Serialization;

namespace LambdaSlim.Model;

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
