namespace LambdaSlim.Model;

public sealed record ModuleTime(string Module, double SelfMs, double CumulativeMs);

public sealed record ColdStartResult(
    string Function, string Handler, int Runs, double MedianImportMs, double MedianImportNoBytecodeMs,
    IReadOnlyList<ModuleTime> Slowest, string? InvocationResult, double? InvocationMs)
{
    public double Speedup => MedianImportNoBytecodeMs / MedianImportMs;
}
