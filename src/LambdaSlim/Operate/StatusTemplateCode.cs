using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static LambdaSlim.Project.SamTemplate;

namespace LambdaSlim.Operate;

/// <summary>
/// The code a stack's template deploys for each function, when it names a content-addressed zip as `deploy` writes
/// it: <c>CodeUri: s3://bucket/prefix/&lt;sha256&gt;.zip</c> or <c>Code: {S3Bucket, S3Key: prefix/&lt;sha256&gt;.zip}</c>.
/// Reads YAML and JSON templates alike.
/// </summary>
public static partial class StatusTemplateCode
{
    /// <returns>Logical ID → sha256 (hex) for every function whose code key is a sha256.</returns>
    public static IReadOnlyDictionary<string, string> Read(string templateBody)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(templateBody));
        }
        catch (YamlException)
        {
            return found;
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root) return found;
        if (Child(root, "Resources") is not YamlMappingNode resources) return found;
        foreach (var (key, value) in resources.Children)
        {
            if (key is not YamlScalarNode { Value: { } id } || value is not YamlMappingNode resource || Child(resource, "Properties") is not YamlMappingNode props) continue;
            var code = Child(props, "CodeUri") ?? Child(props, "Code");
            var location = code switch
            {
                YamlScalarNode scalar => scalar.Value,
                YamlMappingNode map => (Child(map, "S3Key") ?? Child(map, "Key")) is YamlScalarNode k ? k.Value : null,
                _ => null,
            };
            if (location is not null && ContentAddress().Match(location) is { Success: true } m) found[id] = m.Groups[1].Value;
        }
        return found;
    }

    [GeneratedRegex("(?:^|/)([0-9a-f]{64})\\.zip$")]
    private static partial Regex ContentAddress();
}
