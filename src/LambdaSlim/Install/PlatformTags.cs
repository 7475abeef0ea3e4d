using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Install;

/// <summary>
/// The wheel platform tags that load on a Lambda runtime: every manylinux tag up to the runtime's glibc (from the runtime manifest),
/// newest first so pip prefers the most recent compatible build.
/// </summary>
public static class PlatformTags
{
    public static IReadOnlyList<string> For(PythonRuntime runtime, Architecture architecture)
    {
        var machine = architecture.ToWheelMachine();
        // aarch64 manylinux wheels start at glibc 2.17 (manylinux2014); x86_64 ones at 2.5 (manylinux1).
        var oldest = architecture == Architecture.Arm64 ? 17 : 5;
        var tags = new List<string>();
        for (var glibc = RuntimeManifest.BuiltIn.For(runtime, architecture).GlibcMinor; glibc >= oldest; glibc--)
        {
            tags.Add($"manylinux_2_{glibc}_{machine}");
            var legacy = glibc switch { 17 => "manylinux2014", 12 => "manylinux2010", 5 => "manylinux1", _ => null };
            if (legacy is not null) tags.Add($"{legacy}_{machine}");
        }
        return tags;
    }
}
