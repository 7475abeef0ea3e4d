namespace LambdaSlim.Model;

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
