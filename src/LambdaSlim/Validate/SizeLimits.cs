using System.Globalization;
using System.Text.RegularExpressions;
using LambdaSlim.Project;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Validate;

/// <summary>
/// AWS Lambda's hard limits, the default size targets and the advice for big contributors, read from
/// Validate/Data/limits.yaml (embedded), which cites its sources.
/// </summary>
public static partial class SizeLimits
{
    private static readonly Lazy<YamlMappingNode> Data = new(() =>
    {
        using var stream = typeof(SizeLimits).Assembly.GetManifestResourceStream("LambdaSlim.Validate.Data.limits.yaml")!;
        var yaml = new YamlStream();
        yaml.Load(new StreamReader(stream));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    });

    private static string Value(string section, string key) =>
        SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(Data.Value, section), key)) ?? throw new InvalidOperationException($"limits.yaml lacks {section}.{key}");

    /// <summary>Function code plus all its layers, unzipped: 250 MiB.</summary>
    public static long TotalUnzippedBytes => long.Parse(Value("limits", "total-unzipped-bytes"), CultureInfo.InvariantCulture);

    /// <summary>A zip uploaded directly with the API (not through S3): 50 MiB.</summary>
    public static long DirectUploadZippedBytes => long.Parse(Value("limits", "direct-upload-zipped-bytes"), CultureInfo.InvariantCulture);

    public static int MaxLayersPerFunction => int.Parse(Value("limits", "layers-per-function"), CultureInfo.InvariantCulture);

    /// <summary>The console's inline editor stops showing code above 3 MB. Information only.</summary>
    public static long ConsoleEditorBytes => long.Parse(Value("limits", "console-editor-bytes"), CultureInfo.InvariantCulture);

    public static string DefaultTarget(string key) => Value("targets", key);

    /// <summary>What would cut a big contributor: advice for the distribution, else the layer or function fallback.</summary>
    public static string Advice(string distribution, bool inLayer)
    {
        var advice = SamTemplate.Child(Data.Value, "advice");
        var text = SamTemplate.Scalar(SamTemplate.Child(advice, Model.Distribution.Normalize(distribution)))
            ?? SamTemplate.Scalar(SamTemplate.Child(advice, inLayer ? "layer" : "function"))!;
        return text.Replace("{name}", distribution, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(B|KB|kB|MB|GB|KiB|MiB|GiB)?\s*$")]
    private static partial Regex SizePattern();

    /// <summary>"100MB" (decimal, as the seed's tables), "40 MiB", or plain bytes.</summary>
    public static long ParseSize(string text, string where)
    {
        var m = SizePattern().Match(text);
        if (!m.Success) throw LambdaSlimException.Config($"{where}: '{text}' is not a size", "write it like 100MB, 40MiB or 104857600");
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var factor = m.Groups[2].Value switch
        {
            "KB" or "kB" => 1e3, "MB" => 1e6, "GB" => 1e9, "KiB" => 1024.0, "MiB" => 1024.0 * 1024, "GiB" => 1024.0 * 1024 * 1024, _ => 1.0,
        };
        return (long)(n * factor);
    }
}

/// <summary>Size targets (softer than AWS's limits): exceeding one is a warning that names the target.</summary>
public sealed record SizeTargets(long LayerUnzipped, long LayerZipped, long FunctionUnzipped, long FunctionZipped, long TotalUnzipped)
{
    private static readonly string[] Keys = ["layer-unzipped", "layer-zipped", "function-unzipped", "function-zipped", "total-unzipped"];

    /// <summary>From <c>Metadata: LambdaSlim: targets:</c> on the resource, else at the template's top, else the defaults.</summary>
    public static SizeTargets From(LambdaSlimSettings resource, LambdaSlimSettings defaults, string where)
    {
        long Get(string key)
        {
            var own = SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(resource.Node, "targets"), key));
            var global = SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(defaults.Node, "targets"), key));
            return SizeLimits.ParseSize(own ?? global ?? SizeLimits.DefaultTarget(key), $"{where} targets.{key}");
        }
        foreach (var node in new[] { resource.Node, defaults.Node })
            if (SamTemplate.Child(node, "targets") is YamlMappingNode t)
                foreach (var key in t.Children.Keys.OfType<YamlScalarNode>().Where(k => !Keys.Contains(k.Value)))
                    throw LambdaSlimException.Config($"{where}: unknown target '{key.Value}'", $"use {string.Join(", ", Keys)}");
        return new SizeTargets(Get("layer-unzipped"), Get("layer-zipped"), Get("function-unzipped"), Get("function-zipped"), Get("total-unzipped"));
    }
}
