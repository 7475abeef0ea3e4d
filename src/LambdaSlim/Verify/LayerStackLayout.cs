using LambdaSlim.IO;

namespace LambdaSlim.Verify;

/// <summary>
/// The opt/ of one layer stack (layers in order), before and after pruning, for every unit on that stack: each is laid
/// out once, when a unit first needs it, and a function adds only its own var/task/ (<see cref="LambdaLayout.WithFunction"/>).
/// The layout before pruning is only needed when an import fails in what ships, so a build where everything imports never makes it.
/// </summary>
public sealed class LayerStackLayout
{
    private readonly Lazy<LambdaLayout> _before;
    private readonly Lazy<LambdaLayout> _after;

    public LayerStackLayout(IReadOnlyList<VerifiedArtifact> layers, string root)
    {
        Root = root;
        _before = new(() => LambdaLayout.Create(Path.Combine(root, "before"), layers.Select(l => l.Before).ToList(), null));
        _after = new(() => LambdaLayout.Create(Path.Combine(root, "after"), layers.Select(l => l.After).ToList(), null));
    }

    public string Root { get; }

    /// <summary>The layers as installed (safe to read from several threads: the first one lays it out).</summary>
    public LambdaLayout Before => _before.Value;

    /// <summary>The layers as they ship.</summary>
    public LambdaLayout After => _after.Value;

    public void Delete() => WriteBoundary.DeleteDirectory(Root);
}
