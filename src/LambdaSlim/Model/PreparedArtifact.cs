namespace LambdaSlim.Model;

/// <summary>
/// An artifact as install and preparation left it: what pip and the user put in it, and where its zip goes. It does
/// not change after preparation; pruning, bytecode and repair each make new contents from it.
/// </summary>
public sealed record PreparedArtifact(
    string LogicalId, string Kind, PythonRuntime Runtime, Architecture Architecture,
    ArtifactContents Unpruned, IReadOnlyList<Distribution> Provides, string ZipPath, string ZipRelative)
{
    public IReadOnlyList<string>? AssumesLayers { get; init; }

    /// <summary>Credential files left out of the user's code; report.json lists them.</summary>
    public IReadOnlyList<LeftOutFile>? LeftOutSecrets { get; init; }

    public string Name => $"{Kind} {LogicalId}";
}
