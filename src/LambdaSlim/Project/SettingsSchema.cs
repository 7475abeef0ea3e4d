using System.Text.RegularExpressions;

namespace LambdaSlim.Project;

/// <summary>
/// Every key LambdaSlim reads from <c>Metadata: LambdaSlim:</c>, with its type and where it may be written.
/// <see cref="LambdaSlimSettings"/> checks a template against it when the template is loaded, before pip runs.
/// </summary>
public static partial class SettingsSchema
{
    public static readonly IReadOnlyList<SettingKey> Keys =
    [
        new("prune", SettingKind.Choice, SettingScope.Anywhere, "which rule packs run; traced keeps only what the handlers touch on their events", "none", "safe", "aggressive", "traced"),
        new("keep", SettingKind.List, SettingScope.Anywhere, "globs of paths pruning never removes"),
        new("exclude", SettingKind.List, SettingScope.Anywhere, "globs of paths always removed"),
        new("botocore-services", SettingKind.List, SettingScope.Anywhere, "the only service models kept in botocore/data and boto3/data"),
        new("trace-events", SettingKind.List, SettingScope.Anywhere, "globs (relative to the project) of the event files prune: traced runs the handler on"),
        new("trace-keep", SettingKind.List, SettingScope.Anywhere, "globs of paths prune: traced keeps although no event touched them"),
        new("strip", SettingKind.Bool, SettingScope.Anywhere, "strip debug symbols from shared objects"),
        new("bytecode", SettingKind.Choice, SettingScope.Anywhere, "how .pyc files are made", "compile", "sourceless", "none"),
        new("sourceless-own-code", SettingKind.Bool, SettingScope.Anywhere, "make your own code sourceless too"),
        new("targets", SettingKind.Targets, SettingScope.Anywhere, "size targets"),
        new("include", SettingKind.List, SettingScope.Anywhere, "globs of files shipped although they look like secrets"),
        new("allow-secrets", SettingKind.List, SettingScope.Anywhere, "globs of files shipped although a secret was found in them"),
        new("optional-imports", SettingKind.List, SettingScope.Anywhere, "top-level modules that may fail to import (optional extras nothing imports)"),
        new("assumes-layers", SettingKind.List, SettingScope.Layer, "layers this one is always deployed with"),
        new("share-with", SettingKind.List, SettingScope.Layer, "AWS account IDs (12 digits) or an organization ID (o-...) that may use the deployed layer; never everyone unless '*' is written"),
        new("skip", SettingKind.Bool, SettingScope.Resource, "leave the resource to SAM"),
        new("build-layers-without-buildmethod", SettingKind.Bool, SettingScope.Template | SettingScope.Layer,
            "pip-install requirements.txt of layers that have no Metadata: BuildMethod (SAM ships those as they are)"),
        new("runtime", SettingKind.Text, SettingScope.Function, "the Python runtime to build for, when Runtime is an intrinsic function"),
        new("handler", SettingKind.Text, SettingScope.Function, "the handler to verify, when Handler is an intrinsic function"),
        new("cache", SettingKind.Text, SettingScope.Template,
            "the shared cache of finished artifacts: a folder (relative to the project) or s3://bucket/prefix; --cache and LAMBDASLIM_CACHE come first"),
    ];

    public static readonly IReadOnlyList<string> TargetKeys = ["layer-unzipped", "layer-zipped", "function-unzipped", "function-zipped", "total-unzipped"];

    public static SettingKey? Find(string name) => Keys.FirstOrDefault(k => k.Name == name);

    /// <summary>"100MB" (decimal), "40 MiB", or plain bytes: the forms the size targets take.</summary>
    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(B|KB|kB|MB|GB|KiB|MiB|GiB)?\s*$")]
    public static partial Regex SizePattern();

    /// <summary>The known name closest to a misspelt one, when it is close enough to be what was meant.</summary>
    public static string? Closest(string name, IEnumerable<string> known)
    {
        var best = known.Select(k => (Name: k, Distance: EditDistance(name.ToLowerInvariant(), k))).MinBy(x => x.Distance);
        return best.Name is not null && best.Distance <= Math.Max(2, best.Name.Length / 3) ? best.Name : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
