using System.Buffers;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using LambdaSlim.Project;

namespace LambdaSlim.Sources.Secrets;

/// <summary>
/// What counts as a secret in a user's own files, as data: src/LambdaSlim/Sources/Secrets/secret-rules.yaml,
/// embedded in the assembly. Each rule says why. Credential files are recognised by name (and sometimes content),
/// secrets inside other files by pattern.
/// </summary>
public sealed class SecretRules
{
    public const string ResourceFile = "src/LambdaSlim/Sources/Secrets/secret-rules.yaml";

    private static readonly Lazy<SecretRules> Embedded = new(LoadBuiltIn);
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private readonly SearchValues<string> _anyHint;

    private SecretRules(IReadOnlyList<Glob> documentation, IReadOnlyList<CredentialFileRule> credentialFiles, IReadOnlyList<SecretPatternRule> secretsInCode)
    {
        Documentation = documentation;
        CredentialFiles = credentialFiles;
        SecretsInCode = secretsInCode;
        _anyHint = SearchValues.Create(secretsInCode.SelectMany(r => r.Hints).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);
    }

    public static SecretRules BuiltIn => Embedded.Value;

    /// <summary>Files no code reads at run time (by name): a secret in one leaves the file out instead of failing the build.</summary>
    public IReadOnlyList<Glob> Documentation { get; }

    public IReadOnlyList<CredentialFileRule> CredentialFiles { get; }

    public bool IsDocumentation(string relativePath) =>
        Documentation.Any(g => g.IsMatch(relativePath[(relativePath.LastIndexOf('/') + 1)..]));
    public IReadOnlyList<SecretPatternRule> SecretsInCode { get; }

    /// <summary>
    /// The rule that makes this file a credential-only file, or null. <paramref name="text"/> is the file's text
    /// (null for binary or large files, which then match only rules without a 'when').
    /// </summary>
    public CredentialFileRule? CredentialFile(string relativePath, string? text)
    {
        foreach (var rule in CredentialFiles)
        {
            if (!rule.NameMatches(relativePath)) continue;
            if (rule.When is null || (text is not null && IsMatch(rule.When, text))) return rule;
        }
        return null;
    }

    /// <summary>The first secret in a text, by position, or null.</summary>
    public SecretFound? FindInCode(string text)
    {
        if (text.AsSpan().IndexOfAny(_anyHint) < 0) return null;
        SecretFound? first = null;
        var firstIndex = int.MaxValue;
        foreach (var rule in SecretsInCode)
        {
            if (!rule.Hints.Any(h => text.Contains(h, StringComparison.OrdinalIgnoreCase))) continue;
            try
            {
                for (var m = rule.Pattern.Match(text); m.Success; m = m.NextMatch())
                {
                    if (rule.Ignore.Any(i => m.Value.Contains(i, StringComparison.Ordinal))) continue;
                    if (m.Index < firstIndex) { firstIndex = m.Index; first = new SecretFound(rule, LineOf(text, m.Index)); }
                    break;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological text is not evidence of a secret; the other rules still look at it.
            }
        }
        return first;
    }

    private static bool IsMatch(Regex regex, string text)
    {
        try { return regex.IsMatch(text); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static SecretRules LoadBuiltIn()
    {
        var assembly = typeof(SecretRules).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Sources.Secrets.secret-rules.yaml", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), ResourceFile);
    }

    private static readonly HashSet<string> FileRuleKeys = ["id", "match", "unless", "when", "what", "why"];
    private static readonly HashSet<string> CodeRuleKeys = ["id", "what", "hints", "pattern", "ignore", "why"];

    /// <summary>Parses a rule set. <paramref name="file"/> is only used in error messages.</summary>
    public static SecretRules Parse(string yaml, string file)
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
            throw Error(file, Mark.Empty, "a secret rule set is a mapping with 'documentation', 'credential-files' and 'secrets-in-code'");

        var documentation = List(root, "documentation", file, required: true).Select(g => new Glob(g)).ToList();
        var files = Rules(root, "credential-files", FileRuleKeys, file).Select(r => new CredentialFileRule(
            Text(r, "id", file)!, List(r, "match", file, required: true).Select(g => new Glob(g)).ToList(),
            List(r, "unless", file, required: false).Select(g => new Glob(g)).ToList(),
            Text(r, "when", file, required: false) is { } when ? Compile(when, r, file) : null,
            Text(r, "what", file)!, Text(r, "why", file)!)).ToList();
        var inCode = Rules(root, "secrets-in-code", CodeRuleKeys, file).Select(r => new SecretPatternRule(
            Text(r, "id", file)!, Text(r, "what", file)!, List(r, "hints", file, required: true),
            Compile(Text(r, "pattern", file)!, r, file), List(r, "ignore", file, required: false), Text(r, "why", file)!)).ToList();
        return new SecretRules(documentation, files, inCode);
    }

    private static IEnumerable<YamlMappingNode> Rules(YamlMappingNode root, string key, HashSet<string> keys, string file)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is not YamlSequenceNode list)
            throw Error(file, root.Start, $"'{key}' must be a list of rules");
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode rule) throw Error(file, item.Start, $"each rule under '{key}' is a mapping");
            foreach (var k in rule.Children.Keys.OfType<YamlScalarNode>().Where(k => !keys.Contains(k.Value!)))
                throw Error(file, k.Start, $"unknown key '{k.Value}' (known: {string.Join(", ", keys)})");
            yield return rule;
        }
    }

    /// <summary>Compiled: a folder of thousands of files runs each pattern thousands of times.</summary>
    private static Regex Compile(string pattern, YamlMappingNode rule, string file)
    {
        try { return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout); }
        catch (ArgumentException e) { throw Error(file, rule.Start, $"not a regular expression: {e.Message}"); }
    }

    private static string? Text(YamlMappingNode map, string key, string file, bool required = true)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            return required ? throw Error(file, map.Start, $"missing '{key}'") : null;
        return node is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error(file, node.Start, $"'{key}' must be a single value");
    }

    private static IReadOnlyList<string> List(YamlMappingNode map, string key, string file, bool required)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            return required ? throw Error(file, map.Start, $"missing '{key}'") : [];
        if (node is not YamlSequenceNode seq || seq.Children.Count == 0 || seq.Children.Any(c => c is not YamlScalarNode { Value.Length: > 0 }))
            throw Error(file, node.Start, $"'{key}' must be a list of strings");
        return seq.Children.Cast<YamlScalarNode>().Select(c => c.Value!).ToList();
    }

    private static LambdaSlimException Error(string file, Mark mark, string what) =>
        LambdaSlimException.Config($"{file}:{(mark.Line > 0 ? mark.Line : 1)}: {what}", "fix the secret rules at that line");
}
