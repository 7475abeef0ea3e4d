using LambdaSlim.Model;

namespace LambdaSlim.Prune;

/// <summary>What pruning did to one artifact, and the contents it left.</summary>
public sealed record PruneOutcome(ArtifactContents Before, ArtifactContents After, PrunePlan Plan, PruneReport Report);
