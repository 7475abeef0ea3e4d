using System.Globalization;
using System.Text.RegularExpressions;

namespace LambdaSlim.Model;

/// <summary>
/// A Python Lambda runtime by name ("python3.12"): its identity only. What it is - which runtimes exist, the Amazon
/// Linux and glibc each runs on, what each provides - is the runtime manifest's (Runtimes/Manifests/lambda-runtimes.yaml,
/// read by Runtimes/RuntimeManifest.cs), which cites a source for every fact; Runtimes/PythonRuntimes parses a name
/// against it.
/// </summary>
public sealed record PythonRuntime(string Name, int Major, int Minor)
{
    private static readonly Regex NamePattern = new(@"^python(\d)\.(\d+)$", RegexOptions.CultureInvariant);

    public string Version => $"{Major}.{Minor}";
    public string CPythonTag => $"cp{Major}{Minor}";

    /// <summary>Reads a name of the form python3.X; whether Lambda has that runtime is the manifest's to say.</summary>
    public static bool TryParseName(string? name, out PythonRuntime runtime)
    {
        runtime = null!;
        var m = name is null ? Match.Empty : NamePattern.Match(name.Trim());
        if (!m.Success) return false;
        var major = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (major != 3 || !int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
        runtime = new PythonRuntime(name!.Trim(), major, minor);
        return true;
    }

    public override string ToString() => Name;
}
