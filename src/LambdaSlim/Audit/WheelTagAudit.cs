using System.Text.RegularExpressions;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Audit;

/// <summary>
/// The tags in each installed wheel's .dist-info/WHEEL say what it was built for. At least one must fit the runtime:
/// its Python (py3, its own cpXY, or abi3 from an older cpXY) and its platform (any, or manylinux for its machine
/// with a glibc no newer than the runtime's). A plain linux_x86_64 tag (a wheel built on one machine) cannot be
/// proven either way, so it is only reported when that distribution's binaries already failed another check.
/// </summary>
internal static partial class WheelTagAudit
{
    private enum Fit { Yes, Unproven, No }

    private sealed record TagVerdict(Fit Python, Fit Platform, string Tag, string? PlatformReason);

    [GeneratedRegex(@"^manylinux_(?<major>\d+)_(?<minor>\d+)_(?<arch>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PerGlibcManylinux();

    [GeneratedRegex(@"(?:^|/)(?<name>[^/]+?)-(?<version>[^/-]+)\.dist-info/WHEEL$", RegexOptions.CultureInvariant)]
    private static partial Regex WheelFile();

    private static readonly Dictionary<string, (int Major, int Minor)> LegacyManylinux = new(StringComparer.Ordinal)
    {
        // PEP 513, 571 and 599 aliases for the per-glibc tags of PEP 600.
        ["manylinux1"] = (2, 5),
        ["manylinux2010"] = (2, 12),
        ["manylinux2014"] = (2, 17),
    };

    public static IEnumerable<AuditFinding> Check(AuditContext context, IReadOnlyList<AuditFinding> binaryFindings)
    {
        foreach (var deployed in context.Deployment.Visible)
        {
            var file = deployed.File;
            var m = WheelFile().Match(file.ArchivePath);
            if (!m.Success) continue;
            var distribution = file.Distribution ?? m.Groups["name"].Value;
            var label = $"{distribution} {m.Groups["version"].Value}";
            var tags = ReadTags(file.SourcePath);
            if (tags.Count == 0) continue;

            var verdicts = tags.Select(t => Judge(context, t)).ToList();
            if (verdicts.Any(v => v.Python == Fit.Yes && v.Platform == Fit.Yes)) continue;

            var sameDistribution = binaryFindings.Any(f => f.Distribution is { } d && Model.Distribution.Normalize(d) == Model.Distribution.Normalize(distribution));
            var unproven = verdicts.FirstOrDefault(v => v.Python == Fit.Yes && v.Platform == Fit.Unproven);
            if (unproven is not null)
            {
                if (!sameDistribution) continue;
                yield return NativeFileAudit.Finding(context, deployed, AuditFindingKind.WheelTagMismatch,
                    $"{label} is a {unproven.Tag} wheel, built for one Linux machine rather than for manylinux, and its binaries fail on {context.Runtime} (see above)",
                    $"install the manylinux wheel of {distribution} from PyPI (pip {context.PipPlatforms} --only-binary=:all:)");
                continue;
            }

            var pythonFits = verdicts.Where(v => v.Python == Fit.Yes).ToList();
            if (pythonFits.Count == 0)
            {
                yield return NativeFileAudit.Finding(context, deployed, AuditFindingKind.WheelTagMismatch,
                    $"{label} is tagged {string.Join(", ", tags)}, which is not for {context.Runtime} ({context.Python.CPythonTag}, abi3 or py3)",
                    $"install the {context.Python.CPythonTag} wheel of {distribution} (pip --python-version {context.Python.Version} --only-binary=:all:)");
                continue;
            }
            var reason = pythonFits.Select(v => v.PlatformReason).First(r => r is not null);
            yield return NativeFileAudit.Finding(context, deployed, AuditFindingKind.WheelTagMismatch,
                $"{label} is tagged {string.Join(", ", pythonFits.Select(v => v.Tag))}: {reason}",
                $"install a {context.WheelTagWords} wheel of {distribution} (pip {context.PipPlatforms} --only-binary=:all:){NewerRuntimeHint(context, pythonFits)}");
        }
    }

    /// <summary>The expanded tags of a WHEEL file ("Tag: cp311-cp311-manylinux_2_17_x86_64"); compressed tag sets are expanded too.</summary>
    private static List<string> ReadTags(string path)
    {
        try
        {
            return File.ReadLines(path)
                .Where(l => l.StartsWith("Tag:", StringComparison.OrdinalIgnoreCase))
                .Select(l => l[4..].Trim())
                .SelectMany(Expand)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static IEnumerable<string> Expand(string tag)
    {
        var parts = tag.Split('-');
        if (parts.Length != 3) return [];
        return from py in parts[0].Split('.') from abi in parts[1].Split('.') from plat in parts[2].Split('.') select $"{py}-{abi}-{plat}";
    }

    private static TagVerdict Judge(AuditContext context, string tag)
    {
        var parts = tag.Split('-');
        var python = JudgePython(context.Python, parts[0], parts[1]);
        var (platform, reason) = JudgePlatform(context, parts[2]);
        return new TagVerdict(python, platform, tag, reason);
    }

    private static Fit JudgePython(PythonRuntime runtime, string interpreter, string abi)
    {
        if (interpreter.StartsWith("py", StringComparison.Ordinal))
        {
            // py3 and py3N (N up to the runtime's minor) are pure Python tags; their ABI is "none".
            var digits = interpreter[2..];
            var ok = digits == "3" || (digits.Length > 1 && digits[0] == '3' && int.TryParse(digits[1..], out var n) && n <= runtime.Minor);
            return ok && abi is "none" or "abi3" ? Fit.Yes : Fit.No;
        }
        if (!interpreter.StartsWith("cp3", StringComparison.Ordinal) || !int.TryParse(interpreter[3..], out var minor)) return Fit.No;
        return abi switch
        {
            "abi3" => minor <= runtime.Minor ? Fit.Yes : Fit.No,
            "none" => minor == runtime.Minor ? Fit.Yes : Fit.No,
            _ => abi == runtime.CPythonTag && minor == runtime.Minor ? Fit.Yes : Fit.No,
        };
    }

    private static (Fit Fit, string? Reason) JudgePlatform(AuditContext context, string platform)
    {
        if (platform == "any") return (Fit.Yes, null);
        var machine = context.Machine;
        var glibc = context.Environment.Glibc;
        if (platform.StartsWith("musllinux_", StringComparison.Ordinal))
            return (Fit.No, "musllinux wheels need musl libc, and Lambda runs glibc");
        if (platform.StartsWith("macosx_", StringComparison.Ordinal) || platform.StartsWith("win", StringComparison.Ordinal))
            return (Fit.No, $"that is a {(platform.StartsWith("win", StringComparison.Ordinal) ? "Windows" : "macOS")} wheel");
        if (platform.StartsWith("linux_", StringComparison.Ordinal))
            return platform == $"linux_{machine}" ? (Fit.Unproven, null) : (Fit.No, $"built for {platform[6..]}, and the function runs on {machine}");

        (int Major, int Minor)? needs = null;
        string arch;
        if (PerGlibcManylinux().Match(platform) is { Success: true } m)
        {
            needs = (int.Parse(m.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture));
            arch = m.Groups["arch"].Value;
        }
        else if (platform.IndexOf('_') is var underscore and > 0 && LegacyManylinux.TryGetValue(platform[..underscore], out var legacy))
        {
            needs = legacy;
            arch = platform[(underscore + 1)..];
        }
        else
        {
            return (Fit.No, $"{platform} is not a Linux platform");
        }
        if (arch != machine) return (Fit.No, $"built for {arch}, and the function runs on {machine}");
        var needed = new SymbolVersion("GLIBC", [needs.Value.Major, needs.Value.Minor]);
        return needed.IsNewerThan(glibc)
            ? (Fit.No, $"that needs glibc {needed.Number}, and {context.Runtime} has {glibc.Number}")
            : (Fit.Yes, null);
    }

    private static string NewerRuntimeHint(AuditContext context, List<TagVerdict> verdicts)
    {
        var needs = verdicts.Select(v => PerGlibcManylinux().Match(v.Tag.Split('-')[2]))
            .Where(m => m.Success)
            .Select(m => new SymbolVersion("GLIBC", [int.Parse(m.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture)]))
            .MinBy(v => v);
        return needs is not null && context.Environment.Manifest.OldestRuntimeProviding(needs) is { } r && r.Minor > context.Python.Minor
            ? $", or set the runtime to {r} or newer"
            : "";
    }
}
