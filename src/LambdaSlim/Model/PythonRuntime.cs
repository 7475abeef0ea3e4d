using System.Globalization;
using System.Text.RegularExpressions;

namespace LambdaSlim.Model;

public enum Architecture { X86_64, Arm64 }

public static class Architectures
{
    public static Architecture Parse(string value, string where) => value.Trim().ToLowerInvariant() switch
    {
        "x86_64" => Architecture.X86_64,
        "arm64" => Architecture.Arm64,
        _ => throw LambdaSlimException.Config($"{where}: architecture '{value}' is not a Lambda architecture", "use x86_64 or arm64"),
    };

    public static string ToLambdaName(this Architecture a) => a == Architecture.X86_64 ? "x86_64" : "arm64";

    /// <summary>The machine name used in wheel platform tags and ELF triples.</summary>
    public static string ToWheelMachine(this Architecture a) => a == Architecture.X86_64 ? "x86_64" : "aarch64";
}

/// <summary>A Python Lambda runtime, and the Amazon Linux it runs on (sources: the runtime manifest, Audit/Manifests/lambda-runtimes.yaml).</summary>
public sealed record PythonRuntime(string Name, int Major, int Minor, string OperatingSystem, int GlibcMinor)
{
    private static readonly Regex NamePattern = new(@"^python(\d)\.(\d+)$", RegexOptions.CultureInvariant);

    /// <summary>Python minors LambdaSlim builds for. 3.9 is deprecated on Lambda but still deployable.</summary>
    public const int OldestMinor = 9;
    public const int NewestMinor = 14;

    public string Version => $"{Major}.{Minor}";
    public string CPythonTag => $"cp{Major}{Minor}";

    public static bool TryParse(string? name, out PythonRuntime runtime)
    {
        runtime = null!;
        var m = name is null ? Match.Empty : NamePattern.Match(name.Trim());
        if (!m.Success) return false;
        var major = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var minor = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (major != 3 || minor < OldestMinor || minor > NewestMinor) return false;
        // python3.9-3.11 run on Amazon Linux 2 (glibc 2.26); 3.12+ on Amazon Linux 2023 (glibc 2.34).
        runtime = minor <= 11
            ? new PythonRuntime(name!.Trim(), major, minor, "Amazon Linux 2", 26)
            : new PythonRuntime(name!.Trim(), major, minor, "Amazon Linux 2023", 34);
        return true;
    }

    public static PythonRuntime Parse(string? name, string where) =>
        TryParse(name, out var r)
            ? r
            : throw LambdaSlimException.Config(
                $"{where}: Runtime '{name ?? "(none)"}' is not a Python Lambda runtime",
                $"use python3.{OldestMinor}..python3.{NewestMinor}, or set 'Metadata: LambdaSlim: skip: true' on the resource to leave it to sam build");

    public override string ToString() => Name;
}
