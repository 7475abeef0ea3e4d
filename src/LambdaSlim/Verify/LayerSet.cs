namespace LambdaSlim.Verify;

/// <summary>
/// Groups on the same layers (in order), runtime and architecture: their layers' modules are imported once, for all of
/// them, with only the layers laid out; each function adds its own var/task/ to the same opt/.
/// </summary>
/// <param name="first">The first group on these layers.</param>
/// <param name="members">The groups on these layers, by index.</param>
/// <param name="root">Where the layers are laid out.</param>
internal sealed class LayerSet(VerificationUnit first, IReadOnlyList<int> members, string root)
{
    /// <summary>The layers alone, as a unit of their own (named for the first group on them).</summary>
    public VerificationUnit Unit { get; } = first with { Function = null, HandlerModule = null, HandlerFunction = null, Variables = null };
    public IReadOnlyList<int> Members { get; } = members;
    public LayerStackLayout Layout { get; } = new(first.Layers, root);
    public IReadOnlyList<string> Modules { get; } = ImportVerifier.ModulesOf(first.Layers);

    /// <summary>What importing the layers' modules found; null until then, or when they have none.</summary>
    public VerificationResult? Result { get; set; }
}
