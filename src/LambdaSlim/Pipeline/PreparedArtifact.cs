using LambdaSlim.Prune;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>
/// An artifact between install and zip: what pip and the user put in it, what pruning left, and where its zip goes.
/// Verification and --repair work on this before anything is written.
/// </summary>
public sealed class PreparedArtifact(
    string logicalId, string kind, Model.PythonRuntime runtime, Model.Architecture architecture,
    ArtifactContents unpruned, IReadOnlyList<Distribution> provides, string zipPath, string zipRelative)
{
    public string LogicalId { get; } = logicalId;
    public string Kind { get; } = kind;
    public Model.PythonRuntime Runtime { get; } = runtime;
    public Model.Architecture Architecture { get; } = architecture;
    public ArtifactContents Unpruned { get; } = unpruned;

    /// <summary>The distributions this artifact ships (for a layer: what it provides to functions).</summary>
    public IReadOnlyList<Distribution> Provides { get; } = provides;
    public string ZipPath { get; } = zipPath;
    public string ZipRelative { get; } = zipRelative;
    public IReadOnlyList<string>? AssumesLayers { get; init; }

    /// <summary>Credential files left out of the user's code; report.json lists them.</summary>
    public IReadOnlyList<Model.LeftOutFile>? LeftOutSecrets { get; init; }

    public PruneOutcome Prune { get; set; } = Pruner.None(unpruned);

    /// <summary>What goes into the zip: the pruned contents plus bytecode compiled for the runtime.</summary>
    public ArtifactContents Shipped { get; set; } = unpruned;

    /// <summary>The unpruned contents with the same bytecode: the baseline import verification compares against.</summary>
    public ArtifactContents VerifyBefore { get; set; } = unpruned;

    public Model.BytecodeReport? Bytecode { get; set; }

    /// <summary>Libraries the audit's repair copied in (archive path → file on the build machine); they survive a re-prune.</summary>
    public Dictionary<string, string> Vendored { get; } = new(StringComparer.Ordinal);

    public string Name => $"{Kind} {LogicalId}";
}
