using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Project;

/// <summary>
/// Makes a loaded template a plain tree, as CloudFormation's own YAML parser sees it: merge keys
/// (<c>&lt;&lt;: *props</c>, <c>&lt;&lt;: [*a, *b]</c>) are applied, and every alias becomes a copy of its
/// anchored node. YamlDotNet's node model does neither: an alias is the same node object, so rewriting one
/// function's CodeUri would rewrite every function that shares it.
/// </summary>
public static class YamlAliases
{
    public static void Expand(YamlNode root, string path)
    {
        Merge(root, path, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance), new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
        Unshare(root, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
    }

    /// <summary>
    /// YAML's merge: keys the mapping has itself win; among the merged mappings an earlier one wins over a later one.
    /// Children first, so a merged mapping that merges others is complete before it is used.
    /// </summary>
    private static void Merge(YamlNode node, string path, HashSet<YamlNode> done, HashSet<YamlNode> visiting)
    {
        if (done.Contains(node)) return;
        if (!visiting.Add(node))
            throw LambdaSlimException.Input($"{path}:{node.Start.Line}:{node.Start.Column}: an alias refers to a node that contains it", "CloudFormation cannot read a recursive YAML structure: remove the alias");
        switch (node)
        {
            case YamlSequenceNode seq:
                foreach (var child in seq.Children) Merge(child, path, done, visiting);
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    Merge(key, path, done, visiting);
                    Merge(value, path, done, visiting);
                }
                if (map.Children.Keys.Any(IsMergeKey)) ApplyMerges(map, path);
                break;
        }
        visiting.Remove(node);
        done.Add(node);
    }

    private static void ApplyMerges(YamlMappingNode map, string path)
    {
        var entries = map.Children.ToList();
        var own = entries.Where(e => !IsMergeKey(e.Key)).Select(e => e.Key).ToHashSet();
        var result = new List<KeyValuePair<YamlNode, YamlNode>>();
        var taken = new HashSet<YamlNode>();
        foreach (var entry in entries)
        {
            if (!IsMergeKey(entry.Key)) { result.Add(entry); continue; }
            var sources = entry.Value switch
            {
                YamlMappingNode m => [m],
                YamlSequenceNode s when s.Children.All(c => c is YamlMappingNode) => s.Children.Cast<YamlMappingNode>().ToList(),
                _ => throw LambdaSlimException.Input($"{path}:{entry.Key.Start.Line}:{entry.Key.Start.Column}: a merge key '<<' takes a mapping or a list of mappings",
                    "write '<<: *anchor' or '<<: [*a, *b]'"),
            };
            foreach (var source in sources)
                foreach (var (key, value) in source.Children)
                    if (!own.Contains(key) && taken.Add(key)) result.Add(new(key, value));
        }
        map.Children.Clear();
        foreach (var (key, value) in result) map.Children.Add(key, value);
    }

    private static bool IsMergeKey(YamlNode key) =>
        key is YamlScalarNode { Value: "<<" } s
        && (s.Tag.IsEmpty || s.Tag.IsNonSpecific ? s.Style is ScalarStyle.Plain or ScalarStyle.Any : s.Tag.Value == "tag:yaml.org,2002:merge");

    /// <summary>Replaces every second sighting of a node with a deep copy, and drops anchors: the written template has no aliases.</summary>
    private static void Unshare(YamlNode node, HashSet<YamlNode> seen)
    {
        seen.Add(node);
        node.Anchor = AnchorName.Empty;
        switch (node)
        {
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    if (seen.Contains(seq.Children[i])) seq.Children[i] = Copy(seq.Children[i]);
                    Unshare(seq.Children[i], seen);
                }
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children.ToList())
                {
                    var k = seen.Contains(key) ? Copy(key) : key;
                    var v = seen.Contains(value) ? Copy(value) : value;
                    if (!ReferenceEquals(k, key) || !ReferenceEquals(v, value))
                        Replace(map, key, k, v);
                    Unshare(k, seen);
                    Unshare(v, seen);
                }
                break;
        }
    }

    /// <summary>Swaps one entry in place, keeping the key order.</summary>
    private static void Replace(YamlMappingNode map, YamlNode oldKey, YamlNode newKey, YamlNode newValue)
    {
        var entries = map.Children.ToList();
        map.Children.Clear();
        foreach (var (key, value) in entries)
        {
            if (ReferenceEquals(key, oldKey)) map.Children.Add(newKey, newValue);
            else map.Children.Add(key, value);
        }
    }

    private static YamlNode Copy(YamlNode node)
    {
        YamlNode copy = node switch
        {
            YamlScalarNode s => new YamlScalarNode(s.Value) { Style = s.Style },
            YamlSequenceNode q => new YamlSequenceNode(q.Children.Select(Copy)) { Style = q.Style },
            YamlMappingNode m => CopyMapping(m),
            _ => node,
        };
        copy.Tag = node.Tag;
        return copy;
    }

    private static YamlMappingNode CopyMapping(YamlMappingNode m)
    {
        var copy = new YamlMappingNode { Style = m.Style };
        foreach (var (key, value) in m.Children) copy.Children.Add(Copy(key), Copy(value));
        return copy;
    }
}
