using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Tests.Project;

/// <summary>Flattens a YAML document into "path tag value" lines, so two templates can be compared tag for tag.</summary>
public static class YamlShape
{
    public static List<string> Lines(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var lines = new List<string>();
        Walk(stream.Documents[0].RootNode, "", lines);
        return lines;
    }

    public static List<string> Tags(string yaml) => Lines(yaml).Select(l => l.Split(' ')[1]).Where(t => t.StartsWith('!')).ToList();

    private static void Walk(YamlNode node, string path, List<string> lines)
    {
        var tag = node.Tag.IsEmpty || node.Tag.IsNonSpecific ? "-" : node.Tag.Value;
        switch (node)
        {
            case YamlScalarNode s: lines.Add($"{path} {tag} {s.Value}"); break;
            case YamlSequenceNode q:
                lines.Add($"{path} {tag} [");
                for (var i = 0; i < q.Children.Count; i++) Walk(q.Children[i], $"{path}[{i}]", lines);
                break;
            case YamlMappingNode m:
                lines.Add($"{path} {tag} {{");
                foreach (var (k, v) in m.Children) Walk(v, $"{path}/{((YamlScalarNode)k).Value}", lines);
                break;
        }
    }
}
