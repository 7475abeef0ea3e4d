using LambdaSlim.Aws;
using LambdaSlim.Project;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Pipeline;

/// <summary>
/// Turns the built template (<c>.lambdaslim/build/template.yaml</c>, whose artifacts are local zip paths) into the one
/// CloudFormation deploys, in the forms <c>sam package</c> writes: <c>CodeUri</c>/<c>ContentUri</c> as
/// <c>s3://bucket/key</c> strings on Serverless resources, <c>Code</c>/<c>Content</c> as <c>{S3Bucket, S3Key}</c> on
/// plain AWS::Lambda ones. Everything else (tags, intrinsics, quoting, key order) stays as written; the packageable
/// properties that still name a local path are returned, not guessed at.
/// </summary>
public static class S3TemplateRewriter
{
    /// <param name="artifacts">The full path of each uploaded zip → where it is in S3.</param>
    /// <param name="shareWith">Layers to share by logical ID, and with whom: each principal gets an AWS::Lambda::LayerVersionPermission.</param>
    public static PackagedTemplate Rewrite(string builtTemplatePath, IReadOnlyDictionary<string, S3Artifact> artifacts,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? shareWith = null)
    {
        var template = SamTemplate.Load(builtTemplatePath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builtTemplatePath))!;
        var byPath = artifacts.ToDictionary(a => Path.GetFullPath(a.Key), a => a.Value, StringComparer.Ordinal);
        var left = new List<string>();
        Rewrite(template.Resources, folder, byPath, left);
        foreach (var (layer, principals) in shareWith ?? new Dictionary<string, IReadOnlyList<string>>())
            for (var i = 0; i < principals.Count; i++)
                template.Resources.Children[new YamlScalarNode($"{layer}Share{i + 1}")] = LayerPermission(layer, principals[i]);
        return new(TemplateRewriter.Serialize(template.Root), left);
    }

    private static void Rewrite(YamlMappingNode resources, string folder, Dictionary<string, S3Artifact> artifacts, List<string> left)
    {
        foreach (var (key, value) in resources.Children)
        {
            var id = SamTemplate.Scalar(key) ?? "";
            if (id.StartsWith("Fn::ForEach::", StringComparison.Ordinal))
            {
                if (value is YamlSequenceNode { Children.Count: 3 } forEach && forEach.Children[2] is YamlMappingNode body) Rewrite(body, folder, artifacts, left);
                continue;
            }
            if (value is not YamlMappingNode resource || SamTemplate.Child(resource, "Properties") is not YamlMappingNode props) continue;
            var type = SamTemplate.Scalar(SamTemplate.Child(resource, "Type")) ?? "";
            if (PackageableProperty.BuiltArtifact.TryGetValue(type, out var property) && LocalPath(SamTemplate.Child(props, property)) is { } local)
            {
                if (artifacts.TryGetValue(Path.GetFullPath(local, folder), out var artifact))
                {
                    SamTemplate.Set(props, property, type is ProjectLoader.FunctionType or ProjectLoader.LayerType
                        ? new YamlScalarNode(artifact.S3Uri)
                        : new YamlMappingNode(new YamlScalarNode("S3Bucket"), new YamlScalarNode(artifact.Bucket), new YamlScalarNode("S3Key"), new YamlScalarNode(artifact.Key)));
                }
                else left.Add($"{id}.{property}: {local}");
            }
            foreach (var other in PackageableProperty.Resources.Where(p => p.Type == type && !p.Image && !p.Path.Contains("**", StringComparison.Ordinal)))
            {
                if (other.Path == property) continue;
                YamlNode? node = props;
                foreach (var segment in other.Path.Split('.')) node = SamTemplate.Child(node, segment);
                if (LocalPath(node) is { } path) left.Add($"{id}.{other.Path}: {path}");
            }
        }
    }

    /// <summary>
    /// Lets one account (its ID), every account of one organization (principal '*' with its OrganizationId), or,
    /// only when written as '*', everyone use the layer's version.
    /// </summary>
    private static YamlMappingNode LayerPermission(string layer, string principal)
    {
        var props = new YamlMappingNode(
            new YamlScalarNode("Action"), new YamlScalarNode("lambda:GetLayerVersion"),
            new YamlScalarNode("LayerVersionArn"), new YamlScalarNode(layer) { Tag = "!Ref" },
            new YamlScalarNode("Principal"), new YamlScalarNode(principal.StartsWith("o-", StringComparison.Ordinal) ? "*" : principal) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted });
        if (principal.StartsWith("o-", StringComparison.Ordinal)) props.Children[new YamlScalarNode("OrganizationId")] = new YamlScalarNode(principal);
        return new YamlMappingNode(new YamlScalarNode("Type"), new YamlScalarNode("AWS::Lambda::LayerVersionPermission"), new YamlScalarNode("Properties"), props);
    }

    /// <summary>A plain scalar that names a file or folder: not an intrinsic, not an S3 or HTTP location.</summary>
    private static string? LocalPath(YamlNode? node) =>
        node is YamlScalarNode scalar && SamTemplate.TagOf(scalar) is null && scalar.Value is { Length: > 0 } value && !value.Contains("://", StringComparison.Ordinal)
            ? value
            : null;
}
