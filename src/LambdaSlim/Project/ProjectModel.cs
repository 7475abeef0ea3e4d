namespace LambdaSlim.Project;

/// <summary>A function LambdaSlim leaves to SAM, and why (container image, inline code, S3 code, skip: true).</summary>
public sealed record SkippedResource(string LogicalId, string Reason, bool NeedsSamBuild = false);

public sealed record ProjectModel(
    string ProjectDir,
    SamTemplate Template,
    IReadOnlyList<LayerSpec> Layers,
    IReadOnlyList<FunctionSpec> Functions,
    IReadOnlyList<SkippedResource> Skipped,
    LambdaSlimSettings Defaults)
{
    public LayerSpec Layer(string logicalId) => Layers.Single(l => l.LogicalId == logicalId);

    /// <summary>The layers a name picks out; an unknown name is an input error (the CLI reports it as usage, exit 2).</summary>
    public IReadOnlyList<LayerSpec> SelectLayers(string nameOrAll)
    {
        if (string.Equals(nameOrAll, "all", StringComparison.OrdinalIgnoreCase)) return Layers;
        var match = Layers.Where(l => l.Matches(nameOrAll)).ToList();
        if (match.Count == 0)
            throw LambdaSlimException.Input($"no layer named '{nameOrAll}' in {Template.Path}",
                $"use one of: {string.Join(", ", Layers.Select(l => l.LogicalId))}, or 'all'");
        return match;
    }
}
