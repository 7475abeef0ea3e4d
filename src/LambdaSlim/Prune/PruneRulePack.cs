using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using LambdaSlim.Project;

namespace LambdaSlim.Prune;

/// <summary>
/// Rule packs are data: YAML files embedded in the assembly (src/LambdaSlim/Prune/Rules/*.yaml), one per
/// concern, not code branches per package. A pack that does not parse is an error naming its file and line.
/// </summary>
public static class PruneRulePack
{
    private static readonly Lazy<IReadOnlyList<PruneRule>> BuiltIn = new(LoadBuiltIn);

    public static IReadOnlyList<PruneRule> All => BuiltIn.Value;

    /// <summary>The sha256 of every built-in pack's text: a stage's cache key changes when a rule does.</summary>
    public static string Fingerprint => BuiltInFingerprint.Value;

    private static readonly Lazy<string> BuiltInFingerprint = new(() =>
    {
        var assembly = typeof(PruneRulePack).Assembly;
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Prune.Rules.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\n"));
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            hash.AppendData(copy.ToArray());
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    });

    private static IReadOnlyList<PruneRule> LoadBuiltIn()
    {
        var assembly = typeof(PruneRulePack).Assembly;
        var rules = new List<PruneRule>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Prune.Rules.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            rules.AddRange(Parse(reader.ReadToEnd(), ResourceFileName(name)));
        }
        return rules;
    }

    private static string ResourceFileName(string resource)
    {
        var rest = resource[(resource.IndexOf(".Prune.Rules.", StringComparison.Ordinal) + ".Prune.Rules.".Length)..];
        return "src/LambdaSlim/Prune/Rules/" + rest;
    }

    private static readonly HashSet<string> RuleKeys = ["id", "level", "package", "remove", "remove-dirs", "keep-python-packages", "keep", "why"];

    /// <summary>Parses one pack. <paramref name="file"/> is only used in error messages.</summary>
    public static IReadOnlyList<PruneRule> Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw Error(file, e.Start, $"not valid YAML ({(e.InnerException ?? e).Message.Split('\n')[0]})");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Error(file, Mark.Empty, "a rule pack is a mapping with 'pack' and 'rules'");
        var pack = Text(root, "pack", file, required: true)!;
        if (root.Children.TryGetValue(new YamlScalarNode("rules"), out var rulesNode) is false || rulesNode is not YamlSequenceNode rules)
            throw Error(file, root.Start, "'rules' must be a list of rules");

        var result = new List<PruneRule>();
        foreach (var node in rules.Children)
        {
            if (node is not YamlMappingNode rule) throw Error(file, node.Start, "each rule is a mapping with id, level, why and what it removes");
            foreach (var key in rule.Children.Keys.OfType<YamlScalarNode>().Where(k => !RuleKeys.Contains(k.Value!)))
                throw Error(file, key.Start, $"unknown key '{key.Value}' (known: {string.Join(", ", RuleKeys)})");
            var id = Text(rule, "id", file, required: true)!;
            var level = Text(rule, "level", file, required: true) switch
            {
                "safe" => PruneLevel.Safe,
                "aggressive" => PruneLevel.Aggressive,
                var other => throw Error(file, rule.Start, $"rule {id}: level '{other}' must be safe or aggressive"),
            };
            var remove = List(rule, "remove", file);
            var removeDirs = List(rule, "remove-dirs", file);
            if (remove.Count == 0 && removeDirs.Count == 0) throw Error(file, rule.Start, $"rule {id} removes nothing: give 'remove' globs or 'remove-dirs' names");
            var why = Text(rule, "why", file, required: true)!;
            var package = Text(rule, "package", file, required: false);
            result.Add(new PruneRule(id, pack, level, package is null ? null : Model.Distribution.Normalize(package),
                remove.Select(g => new Glob(g)).ToList(), removeDirs,
                Text(rule, "keep-python-packages", file, required: false) == "true",
                List(rule, "keep", file).Select(g => new Glob(g)).ToList(), why));
        }
        return result;
    }

    private static string? Text(YamlMappingNode map, string key, string file, bool required)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            return required ? throw Error(file, map.Start, $"missing '{key}'") : null;
        return node is YamlScalarNode { Value: { } v } ? v : throw Error(file, node.Start, $"'{key}' must be a single value");
    }

    private static IReadOnlyList<string> List(YamlMappingNode map, string key, string file)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node)) return [];
        if (node is not YamlSequenceNode seq || seq.Children.Any(c => c is not YamlScalarNode))
            throw Error(file, node.Start, $"'{key}' must be a list of strings");
        return seq.Children.Cast<YamlScalarNode>().Select(c => c.Value!).ToList();
    }

    private static LambdaSlimException Error(string file, Mark mark, string what) =>
        LambdaSlimException.Config($"{file}:{(mark.Line > 0 ? mark.Line : 1)}: {what}", "fix the rule pack at that line");
}
