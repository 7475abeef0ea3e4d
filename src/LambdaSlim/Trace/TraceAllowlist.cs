using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using LambdaSlim.Project;

namespace LambdaSlim.Trace;

/// <summary>A data file prune: traced keeps although no event opened it, and why.</summary>
public sealed record AllowlistEntry(Glob Glob, string Reason);

/// <summary>
/// The safety allowlist of prune: traced, as data (src/LambdaSlim/Trace/Data/allowlist.yaml): files packages open
/// lazily, on paths the events may not reach. Kept whenever the distribution that owns them is kept.
/// </summary>
public static class TraceAllowlist
{
    private const string Resource = ".Trace.Data.allowlist.yaml";
    private const string File = "src/LambdaSlim/Trace/Data/allowlist.yaml";

    private static readonly Lazy<IReadOnlyList<AllowlistEntry>> BuiltInList = new(() =>
    {
        var assembly = typeof(TraceAllowlist).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(Resource, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return Parse(reader.ReadToEnd());
    });

    public static IReadOnlyList<AllowlistEntry> BuiltIn => BuiltInList.Value;

    /// <summary>Parses an allowlist: a mapping with 'keep', a list of entries with 'glob' and 'reason'.</summary>
    public static IReadOnlyList<AllowlistEntry> Parse(string yaml)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw Error($"not valid YAML ({(e.InnerException ?? e).Message.Split('\n')[0]})"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("keep"), out var keep) || keep is not YamlSequenceNode entries)
            throw Error("the allowlist is a mapping with 'keep', a list of entries");
        return entries.Children.Select(node =>
        {
            if (node is not YamlMappingNode entry) throw Error("each entry is a mapping with 'glob' and 'reason'");
            string Text(string key) => entry.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode { Value: { Length: > 0 } s }
                ? s : throw Error($"an entry at line {entry.Start.Line} has no '{key}'");
            return new AllowlistEntry(new Glob(Text("glob")), Text("reason"));
        }).ToList();
    }

    private static LambdaSlimException Error(string what) => LambdaSlimException.Config($"{File}: {what}", "fix the allowlist");
}
