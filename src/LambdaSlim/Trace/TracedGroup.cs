using LambdaSlim.Model;

namespace LambdaSlim.Trace;

/// <summary>A function with its layers (what Lambda loads together) and the events its handler is traced on.</summary>
public sealed record TracedGroup(ArtifactGroup Group, IReadOnlyList<TraceEvent> Events);
