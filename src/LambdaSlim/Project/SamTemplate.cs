using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Project;

/// <summary>
/// The user's SAM template as a YAML node tree. Working on nodes (not a typed model) keeps every
/// CloudFormation short-form tag (!Ref, !Sub, !GetAtt, ...) and every property we don't understand
/// exactly as written, so the rewritten template differs only where LambdaSlim changed it.
/// </summary>
public sealed class SamTemplate
{
    private readonly YamlStream _stream;

    private SamTemplate(string path, YamlStream stream, YamlMappingNode root)
    {
        Path = path;
        _stream = stream;
        Root = root;
    }

    public string Path { get; }
    public YamlMappingNode Root { get; }

    public static SamTemplate Load(string path)
    {
        if (!File.Exists(path))
            throw LambdaSlimException.Input($"template not found: {path}", "run in the folder that holds template.yaml, or pass -t/--template");
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw LambdaSlimException.Input(
                $"{path}:{e.Start.Line}:{e.Start.Column}: template is not valid YAML ({FirstLine(e.InnerException?.Message ?? e.Message)})",
                "fix the YAML at that line (cfn-lint shows it too)");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw LambdaSlimException.Input($"{path}: template is empty or not a YAML mapping", "a SAM template starts with 'Transform: AWS::Serverless-2016-10-31' and 'Resources:'");
        if (Child(root, "Resources") is not YamlMappingNode)
            throw LambdaSlimException.Input($"{path}: template has no 'Resources' mapping", "add the Resources section that holds your functions and layers");
        YamlAliases.Expand(root, path);
        return new SamTemplate(path, stream, root);
    }

    public YamlMappingNode Resources => (YamlMappingNode)Child(Root, "Resources")!;

    public YamlMappingNode? GlobalsFunction => Child(Child(Root, "Globals"), "Function") as YamlMappingNode;

    public IEnumerable<(string LogicalId, YamlMappingNode Resource)> ResourcesOfType(string type)
    {
        foreach (var (key, value) in Resources.Children)
        {
            if (value is YamlMappingNode resource && Scalar(Child(resource, "Type")) == type)
                yield return (((YamlScalarNode)key).Value!, resource);
        }
    }

    public bool HasResource(string logicalId) => Child(Resources, logicalId) is not null;

    public bool HasParameter(string name) => Child(Child(Root, "Parameters"), name) is not null;

    /// <summary>
    /// A property's value as LambdaSlim can know it at build time: a plain scalar as written, or a <c>!Ref</c>
    /// (<c>{Ref: P}</c>) to a template parameter that has a Default. Null for anything else.
    /// </summary>
    public string? Resolve(YamlNode? node)
    {
        if (Scalar(node) is { } plain) return plain;
        return node is not null && RefTarget(node) is { } name ? Scalar(Child(Child(Child(Root, "Parameters"), name), "Default")) : null;
    }

    /// <summary>Why <see cref="Resolve"/> gave nothing for an intrinsic function, e.g. "!Ref Runtime (a parameter without a Default)".</summary>
    public string DescribeIntrinsic(YamlNode node)
    {
        var name = IntrinsicName(node) ?? "a value";
        if (RefTarget(node) is { } target)
            return HasParameter(target) ? $"!Ref {target} (a parameter without a Default)" : $"!Ref {target}";
        return name;
    }

    /// <summary>The target of <c>!Ref X</c> or <c>{Ref: X}</c>, else null.</summary>
    public static string? RefTarget(YamlNode node) => node switch
    {
        YamlScalarNode s when TagOf(s) == "!Ref" => s.Value,
        YamlMappingNode m when m.Children.Count == 1 && Scalar(Child(m, "Ref")) is { } r => r,
        _ => null,
    };

    /// <summary>"!Join" for a short-form intrinsic, "Fn::Join" for a long-form one, else null.</summary>
    public static string? IntrinsicName(YamlNode node) => node switch
    {
        _ when TagOf(node) is { } tag && tag.StartsWith('!') => tag,
        YamlMappingNode m when m.Children.Count == 1 && Scalar(m.Children.Keys.First()) is { } k && (k == "Ref" || k.StartsWith("Fn::", StringComparison.Ordinal)) => k,
        _ => null,
    };

    public bool HasResource(string logicalId, string type) =>
        Child(Resources, logicalId) is YamlMappingNode r && Scalar(Child(r, "Type")) == type;

    /// <summary>Writes the template as YAML. Tags, quoting styles and key order are kept.</summary>
    public string Serialize()
    {
        using var writer = new StringWriter();
        _stream.Save(new YamlDotNet.Core.Emitter(writer, bestIndent: 2, bestWidth: int.MaxValue), assignAnchors: false);
        var text = writer.ToString();
        // YamlStream always closes a document with "...": drop it so the file reads like the user's.
        if (text.EndsWith("...\n", StringComparison.Ordinal)) text = text[..^4];
        else if (text.EndsWith("...\r\n", StringComparison.Ordinal)) text = text[..^5];
        return text;
    }

    // --- small node helpers, shared by the loader and the rewriter ---

    public static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The value of a plain (untagged) scalar, or null for anything else, e.g. an intrinsic function.</summary>
    public static string? Scalar(YamlNode? node) =>
        node is YamlScalarNode s && TagOf(s) is null or "tag:yaml.org,2002:str" ? s.Value : null;

    /// <summary>A node's explicit tag, e.g. "!Ref", or null when it has none.</summary>
    public static string? TagOf(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific ? null : node.Tag.Value;

    public static IReadOnlyList<string> ScalarList(YamlNode? node) => node switch
    {
        YamlSequenceNode seq => seq.Children.Select(Scalar).OfType<string>().ToList(),
        YamlScalarNode => Scalar(node) is { } s ? [s] : [],
        _ => [],
    };

    public static void Set(YamlMappingNode map, string key, YamlNode value) => map.Children[new YamlScalarNode(key)] = value;

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
