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

