namespace LambdaSlim.Pipeline;

/// <summary>The template to deploy: its YAML, and the packageable properties that still name a local path (none, for a deploy to go ahead).</summary>
/// <param name="LocalPaths">"LogicalId.Property: path" for each local path no uploaded artifact covers.</param>
public sealed record PackagedTemplate(string Yaml, IReadOnlyList<string> LocalPaths);
