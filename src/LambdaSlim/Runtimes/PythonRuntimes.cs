using LambdaSlim.Model;

namespace LambdaSlim.Runtimes;

/// <summary>Reads a runtime name from a template or the command line: a Python Lambda runtime is one the runtime manifest describes.</summary>
public static class PythonRuntimes
{
    public static bool TryParse(string? name, out PythonRuntime runtime) => RuntimeManifest.BuiltIn.TryFind(name, out runtime);

    public static PythonRuntime Parse(string? name, string where) =>
        TryParse(name, out var r)
            ? r
            : throw LambdaSlimException.Config(
                $"{where}: Runtime '{name ?? "(none)"}' is not a Python Lambda runtime",
                $"use {Range}, or set 'Metadata: LambdaSlim: skip: true' on the resource to leave it to sam build");

    /// <summary>"python3.9..python3.14": the oldest and newest runtime the manifest describes.</summary>
    public static string Range => $"{RuntimeManifest.BuiltIn.Runtimes[0]}..{RuntimeManifest.BuiltIn.Runtimes[^1]}";
}
