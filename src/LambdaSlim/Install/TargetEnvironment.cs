using System.Text.Json;
using LambdaSlim.Model;

namespace LambdaSlim.Install;

/// <summary>
/// The PEP 508 marker environment of a Lambda runtime, so `click; platform_machine == "aarch64"` is decided for
/// the function's machine, not the build machine. pip's --platform and --python-version choose wheels but do not
/// change markers; <see cref="PipLauncher"/> hands this environment to pip.
/// </summary>
public static class TargetEnvironment
{
    public static IReadOnlyDictionary<string, string> For(PythonRuntime runtime, Architecture architecture)
    {
        // Lambda patches its runtimes in place, so the patch level is not known at build time; .0 is its floor.
        var full = $"{runtime.Major}.{runtime.Minor}.0";
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["implementation_name"] = "cpython",
            ["implementation_version"] = full,
            ["os_name"] = "posix",
            ["platform_machine"] = architecture.ToWheelMachine(),
            ["platform_python_implementation"] = "CPython",
            // The kernel's release and version strings are Lambda's, unknown here; empty rather than the build machine's.
            ["platform_release"] = "",
            ["platform_system"] = "Linux",
            ["platform_version"] = "",
            ["python_full_version"] = full,
            ["python_version"] = runtime.Version,
            ["sys_platform"] = "linux",
        };
    }

    public static string ToJson(IReadOnlyDictionary<string, string> environment) => JsonSerializer.Serialize(environment);
}
