namespace LambdaSlim.Model;

/// <summary>
/// A prepared function as grouping sees it: its local layers (by logical ID, in order), its handler, and the
/// environment variables the template gives it (the handler is run with them at build time).
/// </summary>
public sealed record GroupedFunction(PreparedArtifact Artifact, IReadOnlyList<string> Layers, string HandlerModule, string HandlerFunction,
    IReadOnlyDictionary<string, string>? Variables = null);
