using LambdaSlim.Model;

namespace LambdaSlim.Audit;

/// <summary>An artifact as the audit reads it: what preparation made (for the user's file names) and what ships.</summary>
public sealed record AuditedArtifact(PreparedArtifact Artifact, ArtifactContents Shipped);
