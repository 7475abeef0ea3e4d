namespace LambdaSlim.Model;

/// <summary>The groups of one build: every function with its layers, then every layer no function uses.</summary>
public sealed record ArtifactGroups(IReadOnlyList<ArtifactGroup> All)
{
    /// <summary>
    /// Groups the prepared artifacts. A function's layers are those of its local layers this build prepared; a layer
    /// no function uses stands alone, with the prepared layers it assumes underneath (it is only importable with them).
    /// </summary>
    public static ArtifactGroups Of(IReadOnlyList<PreparedArtifact> layers, IReadOnlyList<GroupedFunction> functions)
    {
        var byId = layers.ToDictionary(l => l.LogicalId, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<ArtifactGroup>();
        foreach (var fn in functions)
        {
            var stack = fn.Layers.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
            used.UnionWith(stack.Select(l => l.LogicalId));
            groups.Add(new ArtifactGroup(fn.Artifact.Name, fn.Artifact.Runtime, fn.Artifact.Architecture,
                stack.Select(l => l.Name).ToList(), fn.Artifact.Name, fn.HandlerModule, fn.HandlerFunction, fn.Variables));
        }
        foreach (var layer in layers.Where(l => !used.Contains(l.LogicalId)))
        {
            var stack = (layer.AssumesLayers ?? []).Where(byId.ContainsKey).Select(id => byId[id]).Append(layer);
            groups.Add(new ArtifactGroup(layer.Name, layer.Runtime, layer.Architecture, stack.Select(l => l.Name).ToList(), null));
        }
        return new ArtifactGroups(groups);
    }
}
