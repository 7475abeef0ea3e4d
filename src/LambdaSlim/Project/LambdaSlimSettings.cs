using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Project;

/// <summary>
/// The tool's own settings, read from <c>Metadata: LambdaSlim:</c> on a resource or at the template's top.
/// Read once and checked against <see cref="SettingsSchema"/>: an unknown key or a bad value is a configuration
/// error when the template is loaded, before pip runs. Values are kept normalised (booleans and choices in lower case).
/// </summary>
public sealed class LambdaSlimSettings
{
    public static readonly LambdaSlimSettings None = new(null);

    private readonly Dictionary<string, string> _scalars = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _lists = new(StringComparer.Ordinal);

    /// <param name="node">The <c>LambdaSlim:</c> mapping, or null when there is none.</param>
    /// <param name="where">Who the settings belong to, for messages: "function Fn", "layer Lib", "the template".</param>
    /// <param name="scope">Where they are written, which decides the keys that are allowed.</param>
    public LambdaSlimSettings(YamlMappingNode? node, string where = "Metadata: LambdaSlim", SettingScope scope = SettingScope.Anywhere)
    {
        Node = node;
        if (node is null) return;
        foreach (var (keyNode, value) in node.Children)
        {
            var name = SamTemplate.Scalar(keyNode)
                ?? throw LambdaSlimException.Config($"{where}: Metadata: LambdaSlim has a key that is not a plain name", "use the keys listed in the README's settings table");
            var key = SettingsSchema.Find(name) ?? throw Unknown(name, where);
            if ((key.Scope & scope) == 0)
                throw LambdaSlimException.Config($"{where}: setting '{name}' does not belong here", $"'{name}' is set on {ScopeText(key.Scope)}");
            Read(key, value, where);
        }
    }

    /// <summary>The mapping as written, for settings with structure (targets).</summary>
    public YamlMappingNode? Node { get; }

    public string? GetString(string key) => _scalars.GetValueOrDefault(key);

    /// <summary>These settings, with <paramref name="values"/> for the keys that neither they nor <paramref name="defaults"/> set.</summary>
    public LambdaSlimSettings WithFallbacks(LambdaSlimSettings defaults, params (string Key, string Value)[] values)
    {
        var node = new YamlMappingNode();
        if (Node is not null)
            foreach (var (k, v) in Node.Children) node.Children[k] = v;
        foreach (var (key, value) in values.Where(v => GetString(v.Key) is null && defaults.GetString(v.Key) is null))
            node.Children[new YamlScalarNode(key)] = new YamlScalarNode(value);
        return new LambdaSlimSettings(node);
    }

    public IReadOnlyList<string> GetList(string key) => _lists.GetValueOrDefault(key) ?? [];

    public bool GetBool(string key) => GetString(key) == "true";

    private void Read(SettingKey key, YamlNode value, string where)
    {
        var what = $"{where}: setting '{key.Name}'";
        switch (key.Kind)
        {
            case SettingKind.Bool:
                var flag = PlainScalar(value, what, "true or false");
                if (!flag.Equals("true", StringComparison.OrdinalIgnoreCase) && !flag.Equals("false", StringComparison.OrdinalIgnoreCase))
                    throw LambdaSlimException.Config($"{what} is '{flag}', not a boolean", "write true or false (CloudFormation's booleans: yes, no, on and off are not accepted)");
                _scalars[key.Name] = flag.ToLowerInvariant();
                break;
            case SettingKind.Choice:
                var choice = PlainScalar(value, what, string.Join(", ", key.Choices)).ToLowerInvariant();
                if (!key.Choices.Contains(choice))
                {
                    var close = SettingsSchema.Closest(choice, key.Choices);
                    throw LambdaSlimException.Config($"{what} is '{choice}', not one of {string.Join(", ", key.Choices)}",
                        close is null ? $"use one of {string.Join(", ", key.Choices)}" : $"did you mean '{close}'?");
                }
                _scalars[key.Name] = choice;
                break;
            case SettingKind.Text:
                _scalars[key.Name] = PlainScalar(value, what, "a plain string");
                break;
            case SettingKind.List:
                _lists[key.Name] = value switch
                {
                    YamlSequenceNode seq when SamTemplate.TagOf(seq) is null => seq.Children.Select(c => PlainScalar(c, $"{what} item", "plain strings")).ToList(),
                    _ => [PlainScalar(value, what, "a list of plain strings")],
                };
                break;
            case SettingKind.Targets:
                if (value is not YamlMappingNode targets)
                    throw LambdaSlimException.Config($"{what} must be a mapping", $"write e.g. targets: {{function-zipped: 40MB}}; keys: {string.Join(", ", SettingsSchema.TargetKeys)}");
                foreach (var (targetKey, size) in targets.Children)
                {
                    var name = SamTemplate.Scalar(targetKey) ?? "";
                    if (!SettingsSchema.TargetKeys.Contains(name))
                    {
                        var close = SettingsSchema.Closest(name, SettingsSchema.TargetKeys);
                        throw LambdaSlimException.Config($"{where}: unknown target '{name}'",
                            (close is null ? "" : $"did you mean '{close}'? ") + $"use {string.Join(", ", SettingsSchema.TargetKeys)}");
                    }
                    var text = PlainScalar(size, $"{what} {name}", "a size");
                    if (!SettingsSchema.SizePattern().IsMatch(text))
                        throw LambdaSlimException.Config($"{where}: targets.{name}: '{text}' is not a size", "write it like 100MB, 40MiB or 104857600");
                }
                break;
        }
    }

    private static string PlainScalar(YamlNode node, string what, string expected)
    {
        if (node is YamlScalarNode s && SamTemplate.TagOf(s) is { } tag && tag != "tag:yaml.org,2002:str")
            throw LambdaSlimException.Config($"{what} is {tag} {s.Value}, which LambdaSlim does not resolve", $"write {expected} as a literal");
        if (SamTemplate.Scalar(node) is not { } value)
            throw LambdaSlimException.Config($"{what} must be {expected}", $"write {expected} as a literal");
        if (value.Trim().Length == 0)
            throw LambdaSlimException.Config($"{what} is empty", $"write {expected}, or remove the key");
        return value.Trim();
    }

    private static LambdaSlimException Unknown(string name, string where)
    {
        var close = SettingsSchema.Closest(name, SettingsSchema.Keys.Select(k => k.Name));
        var known = $"known settings: {string.Join(", ", SettingsSchema.Keys.Select(k => k.Name))}";
        return LambdaSlimException.Config($"{where}: unknown setting '{name}' in Metadata: LambdaSlim",
            close is null ? known : $"did you mean '{close}'? ({known})");
    }

    private static string ScopeText(SettingScope scope) => scope switch
    {
        SettingScope.Layer => "a layer only",
        SettingScope.Function => "a function only",
        SettingScope.Resource => "a function or a layer, not at the template's top",
        _ => "a function, a layer or the template's top",
    };
}
