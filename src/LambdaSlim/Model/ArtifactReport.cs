namespace LambdaSlim.Model;

public sealed record DistributionSize(string Name, string Version, long UnzippedBytes);

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
    IReadOnlyList<LeftOutFile>? LeftOutSecrets = null,
    string? InputKey = null)
{
    public const string LayerKind = "layer";
    public const string FunctionKind = "function";
}
