using System.Globalization;
using System.Text.RegularExpressions;

namespace LambdaSlim.Model;

public enum Architecture { X86_64, Arm64 }

public static class Architectures
{
    public static Architecture Parse(string value, string where) =>
        TryParse(value, out var architecture)
            ? architecture
            : throw LambdaSlimException.Config($"{where}: architecture '{value}' is not a Lambda architecture", "use x86_64 or arm64");

    public static bool TryParse(string? value, out Architecture architecture)
    {
        architecture = default;
        switch (value?.Trim().ToLowerInvariant())
        {
            case "x86_64": architecture = Architecture.X86_64; return true;
            case "arm64": architecture = Architecture.Arm64; return true;
            default: return false;
        }
    }

    public static string ToLambdaName(this Architecture a) => a == Architecture.X86_64 ? "x86_64" : "arm64";

    /// <summary>The machine name used in wheel platform tags and ELF triples.</summary>
    public static string ToWheelMachine(this Architecture a) => a == Architecture.X86_64 ? "x86_64" : "aarch64";
}

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
