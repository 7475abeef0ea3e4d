namespace LambdaSlim.Model;

/// <summary>A prepared function as grouping sees it: its local layers (by logical ID, in order) and its handler.</summary>
public sealed record GroupedFunction(PreparedArtifact Artifact, IReadOnlyList<string> Layers, string HandlerModule, string HandlerFunction);
