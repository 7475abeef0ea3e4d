using LambdaSlim.Elf;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Audit;

internal sealed record AuditContext(PythonRuntime Python, RuntimeEnvironment Environment, LambdaFileSystem Deployment)
{
    public string Machine => Environment.Architecture.ToWheelMachine();
    public ushort ElfMachine => Environment.Architecture == Architecture.Arm64 ? ElfConstants.MachineAarch64 : ElfConstants.MachineX86_64;
    public string Runtime => Python.Name;

    /// <summary>"manylinux_2_26 or manylinux2014": the wheels that load here, for a fix to name.</summary>
    public string WheelTagWords => string.Join(" or ", Environment.WheelTags);

    public string PipPlatforms => string.Join(' ', Environment.WheelTags.Select(t => $"--platform {t}_{Machine}"));

    public static string OfDistribution(string? distribution) => distribution is null ? "" : $" of {distribution}";
}
