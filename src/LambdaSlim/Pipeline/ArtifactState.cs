using LambdaSlim.Audit;
using LambdaSlim.Bytecode;
using LambdaSlim.Model;
using LambdaSlim.Prune;
using LambdaSlim.Verify;

namespace LambdaSlim.Pipeline;

/// <summary>
/// One artifact between preparation and zip: what each stage made of it so far. Stages never change it; the pipeline
/// replaces it with a new one when a repair reruns a stage.
/// </summary>
/// <param name="Vendored">Libraries the audit's repair copied in (archive path → file on the build machine); they survive a re-prune.</param>
internal sealed record ArtifactState(PreparedArtifact Artifact, PruneOutcome Prune, BytecodeOutcome Bytecode, IReadOnlyDictionary<string, string> Vendored)
{
    public string Name => Artifact.Name;

    public AuditedArtifact Audited => new(Artifact, Bytecode.Shipped);

    public VerifiedArtifact Verified => new(Name, Bytecode.VerifyBefore, Bytecode.Shipped, Prune.Plan.Removed);

    /// <summary>The same artifact with the given libraries vendored into what ships.</summary>
    public ArtifactState WithVendored(IEnumerable<VendoredLibrary> libraries)
    {
        var vendored = new Dictionary<string, string>(Vendored, StringComparer.Ordinal);
        var shipped = Bytecode.Shipped.Clone();
        foreach (var library in libraries)
        {
            vendored[library.Target] = library.Source;
            shipped.TryAdd(library.Target, library.Source, owner: null, installed: true);
        }
        return this with { Vendored = vendored, Bytecode = Bytecode with { Shipped = shipped } };
    }
}
