using LambdaSlim.Model;

namespace LambdaSlim.Verify;

/// <summary>One artifact in a verification unit: its contents before pruning, after it, and what pruning removed.</summary>
public sealed record VerifiedArtifact(string Name, ArtifactContents Before, ArtifactContents After, IReadOnlyList<Prune.PruneDecision> Removed);

/// <summary>What Lambda would load together: a function with its layers in order, or a layer on its own.</summary>
public sealed record VerificationUnit(
    string Name, PythonRuntime Runtime, IReadOnlyList<VerifiedArtifact> Layers, VerifiedArtifact? Function, string? HandlerModule, string? HandlerFunction = null,
    IReadOnlyDictionary<string, string>? Variables = null);
