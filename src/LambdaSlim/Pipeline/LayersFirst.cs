using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LambdaSlim.Project;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Pipeline;

/// <summary>
/// `deploy --layers-first`: when a deploy changes layers and functions, the layers are published by a first change set
/// and the functions moved onto them by a second, on the same stack. Pure: the plan is a function of the stack's
/// current template, the new packaged template and the zips' sha256.
/// <para>
/// Stage 1 is the current template plus each changed layer as a plain <c>AWS::Lambda::LayerVersion</c> under a
/// content-hashed logical ID (the logical ID and the first 10 hex digits of the zip's sha256, as SAM hashes its own),
/// with SAM's defaults: LayerName the original logical ID, DeletionPolicy and UpdateReplacePolicy from RetentionPolicy
/// (Retain unless it says Delete). Nothing references them yet, so stage 1 only publishes layer versions, and the
/// functions keep running the code and layers they had. Stage 2 is the new template with the same resources under the
/// same IDs and every reference to the layers (<c>!Ref</c>, <c>!GetAtt</c>, <c>${X}</c> in <c>!Sub</c>, DependsOn, in
/// resources, Globals, Outputs and Conditions) rewritten to them: CloudFormation finds them unchanged and updates the
/// functions, code and layers in one step.
/// </para>
/// </summary>
public static partial class LayersFirst
{
    [GeneratedRegex(@"\$\{(?!!)(?<id>[A-Za-z0-9]+)(?<attr>(\.[A-Za-z0-9]+)*)\}")]
    private static partial Regex SubReference();

    [GeneratedRegex("^[0-9a-f]{10}$")]
    private static partial Regex HashSuffix();

    /// <param name="current">The stack's template as CloudFormation has it (GetTemplate, Original).</param>
    /// <param name="next">The packaged template this deploy would deploy.</param>
    /// <param name="sha256ByS3Uri">Each uploaded zip's sha256 by its s3://bucket/key.</param>
    public static LayersFirstPlan Plan(string current, string next, IReadOnlyDictionary<string, string> sha256ByS3Uri)
    {
        var now = Parse(current);
        var then = Parse(next);
        var changed = new Dictionary<string, string>(StringComparer.Ordinal);
        var hashedNow = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, layer) in Layers(then))
        {
            var hashed = HashedId(id, Location(layer), sha256ByS3Uri);
            if (DeployedForm(now, id) is not { } deployed)
            {
                changed[id] = hashed;
                continue;
            }
            if (deployed.Id != id) hashedNow[id] = deployed.Id;
            if (Location(deployed.Resource) != Location(layer)) changed[id] = hashed;
        }

        // Functions compared with the references they had: a function that only follows its layer did not change.
        var compared = Parse(next);
        RewriteReferences(compared, hashedNow);
        var globalsChanged = Text(SamTemplate.Child(compared, "Globals")) != Text(SamTemplate.Child(now, "Globals"));
        var functions = Functions(compared)
            .Where(f => globalsChanged || Text(SamTemplate.Child(Resources(now), f.Id)) != Text(f.Resource))
            .Select(f => f.Id).ToList();

        string? single = (changed.Count, functions.Count) switch
        {
            (0, 0) => "no layer and no function changed",
            (0, _) => $"no layer changed, only functions ({string.Join(", ", functions)})",
            (_, 0) => $"only layers changed ({string.Join(", ", changed.Keys)}); the functions follow them in the same change set",
            _ => null,
        };
        if (single is not null) return new(changed, functions, null, null, single);
        return new(changed, functions, Stage1(current, next, changed), Stage2(next, changed, hashedNow), null);
    }

    /// <summary>The current template plus each changed layer, in plain form under its hashed ID.</summary>
    public static string Stage1(string current, string next, IReadOnlyDictionary<string, string> changedLayers)
    {
        var now = Parse(current);
        var then = Parse(next);
        foreach (var (id, hashed) in changedLayers)
        {
            var layer = (YamlMappingNode)SamTemplate.Child(Resources(then), id)!;
            Resources(now).Children[new YamlScalarNode(hashed)] = PlainLayer(id, layer);
            // A condition the layer is created under must be there to be evaluated.
            if (SamTemplate.Scalar(SamTemplate.Child(layer, "Condition")) is { } condition && SamTemplate.Child(SamTemplate.Child(then, "Conditions"), condition) is { } definition
                && SamTemplate.Child(SamTemplate.Child(now, "Conditions"), condition) is null)
            {
                if (SamTemplate.Child(now, "Conditions") is not YamlMappingNode conditions) SamTemplate.Set(now, "Conditions", conditions = new YamlMappingNode());
                conditions.Children[new YamlScalarNode(condition)] = definition;
            }
        }
        return TemplateRewriter.Serialize(now);
    }

    /// <summary>
    /// The new template with each changed layer (and each already deployed in hashed form) as in stage 1, and every
    /// reference to them rewritten.
    /// </summary>
    public static string Stage2(string next, IReadOnlyDictionary<string, string> changedLayers, IReadOnlyDictionary<string, string>? alreadyHashed = null)
    {
        var then = Parse(next);
        var ids = new Dictionary<string, string>(alreadyHashed ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (id, hashed) in changedLayers) ids[id] = hashed;
        var resources = Resources(then);
        var rebuilt = new YamlMappingNode();
        foreach (var (key, value) in resources.Children)
        {
            // In place, so the template reads in its own order.
            if (SamTemplate.Scalar(key) is { } id && ids.TryGetValue(id, out var hashed) && value is YamlMappingNode layer)
                rebuilt.Children[new YamlScalarNode(hashed)] = PlainLayer(id, layer);
            else rebuilt.Children[key] = value;
        }
        SamTemplate.Set(then, "Resources", rebuilt);
        RewriteReferences(then, ids);
        return TemplateRewriter.Serialize(then);
    }

    /// <summary>The logical ID and the first 10 hex digits of the zip's sha256 (of its location when the zip is not one of this deploy's).</summary>
    public static string HashedId(string id, string? location, IReadOnlyDictionary<string, string> sha256ByS3Uri)
    {
        var sha = location is not null && sha256ByS3Uri.TryGetValue(location, out var known) ? known
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(location ?? id)));
        return id + sha[..10];
    }

    /// <summary>A layer as SAM turns an AWS::Serverless::LayerVersion into an AWS::Lambda::LayerVersion; a plain one as written.</summary>
    private static YamlMappingNode PlainLayer(string id, YamlMappingNode layer)
    {
        var props = SamTemplate.Child(layer, "Properties") as YamlMappingNode ?? new YamlMappingNode();
        var plain = new YamlMappingNode(new YamlScalarNode("Type"), new YamlScalarNode(ProjectLoader.PlainLayerType));
        if (SamTemplate.Scalar(SamTemplate.Child(layer, "Type")) == ProjectLoader.PlainLayerType)
        {
            foreach (var (key, value) in layer.Children)
                if (SamTemplate.Scalar(key) != "Type") plain.Children[key] = value;
            return plain;
        }
        var retention = SamTemplate.Scalar(SamTemplate.Child(props, "RetentionPolicy"))?.ToLowerInvariant() switch
        {
            "delete" => "Delete",
            "retain" => "Retain",
            _ => null,
        };
        var deletion = retention ?? SamTemplate.Scalar(SamTemplate.Child(layer, "DeletionPolicy")) ?? "Retain";
        plain.Children[new YamlScalarNode("DeletionPolicy")] = new YamlScalarNode(deletion);
        plain.Children[new YamlScalarNode("UpdateReplacePolicy")] = new YamlScalarNode(SamTemplate.Scalar(SamTemplate.Child(layer, "UpdateReplacePolicy")) ?? deletion);
        foreach (var attribute in new[] { "Condition", "DependsOn" })
            if (SamTemplate.Child(layer, attribute) is { } value) plain.Children[new YamlScalarNode(attribute)] = value;
        var properties = new YamlMappingNode();
        properties.Children[new YamlScalarNode("LayerName")] = SamTemplate.Child(props, "LayerName") ?? new YamlScalarNode(id);
        if (SamTemplate.Child(props, "Description") is { } description) properties.Children[new YamlScalarNode("Description")] = description;
        properties.Children[new YamlScalarNode("Content")] = S3Location(SamTemplate.Child(props, "ContentUri"));
        foreach (var name in new[] { "CompatibleRuntimes", "CompatibleArchitectures", "LicenseInfo" })
            if (SamTemplate.Child(props, name) is { } value) properties.Children[new YamlScalarNode(name)] = value;
        plain.Children[new YamlScalarNode("Properties")] = properties;
        return plain;
    }

    /// <summary>ContentUri (s3://bucket/key, or {Bucket, Key, Version}) as Content's {S3Bucket, S3Key, S3ObjectVersion}.</summary>
    private static YamlNode S3Location(YamlNode? contentUri)
    {
        if (SamTemplate.Scalar(contentUri) is { } uri && uri.StartsWith("s3://", StringComparison.Ordinal) && uri.IndexOf('/', 5) is > 5 and var slash)
            return new YamlMappingNode(new YamlScalarNode("S3Bucket"), new YamlScalarNode(uri[5..slash]), new YamlScalarNode("S3Key"), new YamlScalarNode(uri[(slash + 1)..]));
        var location = new YamlMappingNode();
        foreach (var (from, to) in new[] { ("Bucket", "S3Bucket"), ("Key", "S3Key"), ("Version", "S3ObjectVersion") })
            if (SamTemplate.Child(contentUri, from) is { } value) location.Children[new YamlScalarNode(to)] = value;
        return location;
    }

    /// <summary>Where a layer's zip is, as s3://bucket/key, from either form; null when it is not a plain location.</summary>
    private static string? Location(YamlMappingNode layer)
    {
        var props = SamTemplate.Child(layer, "Properties");
        if (SamTemplate.Scalar(SamTemplate.Child(props, "ContentUri")) is { } uri) return uri;
        var location = SamTemplate.Child(props, "ContentUri") is YamlMappingNode m
            ? (SamTemplate.Scalar(SamTemplate.Child(m, "Bucket")), SamTemplate.Scalar(SamTemplate.Child(m, "Key")))
            : (SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(props, "Content"), "S3Bucket")), SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(props, "Content"), "S3Key")));
        return location is ({ } bucket, { } key) ? $"s3://{bucket}/{key}" : null;
    }

    /// <summary>The layer as the stack has it: under its own ID, or in the hashed form an earlier --layers-first deploy left.</summary>
    private static (string Id, YamlMappingNode Resource)? DeployedForm(YamlMappingNode template, string id)
    {
        if (SamTemplate.Child(Resources(template), id) is YamlMappingNode own && ProjectLoader.IsLayerType(SamTemplate.Scalar(SamTemplate.Child(own, "Type"))))
            return (id, own);
        foreach (var (key, value) in Resources(template).Children)
        {
            if (SamTemplate.Scalar(key) is { } other && other.Length == id.Length + 10 && other.StartsWith(id, StringComparison.Ordinal)
                && HashSuffix().IsMatch(other[id.Length..]) && value is YamlMappingNode layer
                && SamTemplate.Scalar(SamTemplate.Child(layer, "Type")) == ProjectLoader.PlainLayerType)
                return (other, layer);
        }
        return null;
    }

    private static IEnumerable<(string Id, YamlMappingNode Resource)> Layers(YamlMappingNode template) => OfTypes(template, ProjectLoader.LayerType, ProjectLoader.PlainLayerType);

    private static IEnumerable<(string Id, YamlMappingNode Resource)> Functions(YamlMappingNode template) => OfTypes(template, ProjectLoader.FunctionType, ProjectLoader.PlainFunctionType);

    private static IEnumerable<(string Id, YamlMappingNode Resource)> OfTypes(YamlMappingNode template, params string[] types)
    {
        foreach (var (key, value) in Resources(template).Children)
            if (SamTemplate.Scalar(key) is { } id && value is YamlMappingNode resource && types.Contains(SamTemplate.Scalar(SamTemplate.Child(resource, "Type"))))
                yield return (id, resource);
    }

    /// <summary>Every reference to a renamed resource, anywhere in the template, made to its new name.</summary>
    private static void RewriteReferences(YamlMappingNode root, IReadOnlyDictionary<string, string> ids)
    {
        if (ids.Count == 0) return;
        foreach (var key in root.Children.Keys.ToList())
            root.Children[key] = Rewrite(root.Children[key], ids);
        foreach (var (_, value) in Resources(root).Children)
        {
            if (value is not YamlMappingNode resource) continue;
            switch (SamTemplate.Child(resource, "DependsOn"))
            {
                case YamlScalarNode one when SamTemplate.Scalar(one) is { } id && ids.TryGetValue(id, out var renamed):
                    SamTemplate.Set(resource, "DependsOn", new YamlScalarNode(renamed));
                    break;
                case YamlSequenceNode many:
                    for (var i = 0; i < many.Children.Count; i++)
                        if (SamTemplate.Scalar(many.Children[i]) is { } id && ids.TryGetValue(id, out var to)) many.Children[i] = new YamlScalarNode(to);
                    break;
            }
        }
    }

    private static YamlNode Rewrite(YamlNode node, IReadOnlyDictionary<string, string> ids)
    {
        var tag = SamTemplate.TagOf(node);
        switch (node)
        {
            case YamlScalarNode s when tag == "!Ref" && s.Value is { } id && ids.TryGetValue(id, out var renamed):
                return Tagged(new YamlScalarNode(renamed), s);
            case YamlScalarNode s when tag == "!GetAtt" && s.Value is { } value:
                return Tagged(new YamlScalarNode(GetAtt(value, ids)) { Style = s.Style }, s);
            case YamlScalarNode s when tag == "!Sub" && s.Value is { } text:
                return Tagged(new YamlScalarNode(Sub(text, ids)) { Style = s.Style }, s);
            case YamlSequenceNode seq when tag == "!GetAtt" && seq.Children.Count > 0 && SamTemplate.Scalar(seq.Children[0]) is { } target && ids.TryGetValue(target, out var to):
                seq.Children[0] = new YamlScalarNode(to);
                return seq;
            case YamlSequenceNode seq when tag == "!Sub" && seq.Children.Count > 0 && seq.Children[0] is YamlScalarNode { Value: { } text } first:
                seq.Children[0] = new YamlScalarNode(Sub(text, ids)) { Style = first.Style };
                for (var i = 1; i < seq.Children.Count; i++) seq.Children[i] = Rewrite(seq.Children[i], ids);
                return seq;
            case YamlMappingNode map when map.Children.Count == 1 && SamTemplate.Scalar(map.Children.Keys.First()) is { } function:
                var argument = map.Children.Values.First();
                if (function == "Ref" && SamTemplate.Scalar(argument) is { } refId && ids.TryGetValue(refId, out var refTo))
                    return new YamlMappingNode(new YamlScalarNode("Ref"), new YamlScalarNode(refTo));
                map.Children[map.Children.Keys.First()] = (function, argument) switch
                {
                    ("Fn::GetAtt", YamlScalarNode { Value: { } dotted } scalar) => new YamlScalarNode(GetAtt(dotted, ids)) { Style = scalar.Style },
                    ("Fn::GetAtt", YamlSequenceNode { Children.Count: > 0 } list) when SamTemplate.Scalar(list.Children[0]) is { } target && ids.TryGetValue(target, out var to) =>
                        Replace(list, 0, new YamlScalarNode(to)),
                    ("Fn::Sub", YamlScalarNode { Value: { } text } scalar) => new YamlScalarNode(Sub(text, ids)) { Style = scalar.Style },
                    ("Fn::Sub", YamlSequenceNode { Children.Count: > 0 } list) when list.Children[0] is YamlScalarNode { Value: { } text } first =>
                        Replace((YamlSequenceNode)Rewrite(list, ids), 0, new YamlScalarNode(Sub(text, ids)) { Style = first.Style }),
                    _ => Rewrite(argument, ids),
                };
                return map;
            case YamlMappingNode map:
                foreach (var key in map.Children.Keys.ToList()) map.Children[key] = Rewrite(map.Children[key], ids);
                return map;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++) seq.Children[i] = Rewrite(seq.Children[i], ids);
                return seq;
            default:
                return node;
        }
    }

    private static string GetAtt(string dotted, IReadOnlyDictionary<string, string> ids) =>
        dotted.Split('.', 2) is [var id, var attribute] && ids.TryGetValue(id, out var renamed) ? $"{renamed}.{attribute}" : dotted;

    private static string Sub(string text, IReadOnlyDictionary<string, string> ids) =>
        SubReference().Replace(text, m => ids.TryGetValue(m.Groups["id"].Value, out var renamed) ? $"${{{renamed}{m.Groups["attr"].Value}}}" : m.Value);

    private static T Tagged<T>(T node, YamlNode from) where T : YamlNode
    {
        node.Tag = from.Tag;
        return node;
    }

    private static YamlSequenceNode Replace(YamlSequenceNode list, int index, YamlNode value)
    {
        list.Children[index] = value;
        return list;
    }

    private static YamlMappingNode Resources(YamlMappingNode template) => SamTemplate.Child(template, "Resources") as YamlMappingNode ?? new YamlMappingNode();

    private static string? Text(YamlNode? node) => node is YamlMappingNode map ? TemplateRewriter.Serialize(map) : node?.ToString();

    private static YamlMappingNode Parse(string template)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(template));
        }
        catch (YamlException e)
        {
            throw LambdaSlimException.Input($"the stack's template cannot be read as YAML or JSON ({e.Message.Split('\n')[0]})", "deploy without --layers-first");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root || SamTemplate.Child(root, "Resources") is not YamlMappingNode)
            throw LambdaSlimException.Input("the stack's template has no Resources mapping", "deploy without --layers-first");
        YamlAliases.Expand(root, "the stack's template");
        return root;
    }
}
