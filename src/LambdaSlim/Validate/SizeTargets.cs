using LambdaSlim.Project;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Validate;

/// <summary>Size targets (softer than AWS's limits): exceeding one is a warning that names the target.</summary>
public sealed record SizeTargets(long LayerUnzipped, long LayerZipped, long FunctionUnzipped, long FunctionZipped, long TotalUnzipped)
{
    private static readonly string[] Keys = ["layer-unzipped", "layer-zipped", "function-unzipped", "function-zipped", "total-unzipped"];

    /// <summary>From <c>Metadata: LambdaSlim: targets:</c> on the resource, else at the template's top, else the defaults.</summary>
    public static SizeTargets From(LambdaSlimSettings resource, LambdaSlimSettings defaults, string where)
    {
        long Get(string key)
        {
            var own = SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(resource.Node, "targets"), key));
            var global = SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(defaults.Node, "targets"), key));
            return SizeLimits.ParseSize(own ?? global ?? SizeLimits.DefaultTarget(key), $"{where} targets.{key}");
        }
        foreach (var node in new[] { resource.Node, defaults.Node })
            if (SamTemplate.Child(node, "targets") is YamlMappingNode t)
                foreach (var key in t.Children.Keys.OfType<YamlScalarNode>().Where(k => !Keys.Contains(k.Value)))
                    throw LambdaSlimException.Config($"{where}: unknown target '{key.Value}'", $"use {string.Join(", ", Keys)}");
        return new SizeTargets(Get("layer-unzipped"), Get("layer-zipped"), Get("function-unzipped"), Get("function-zipped"), Get("total-unzipped"));
    }
}
