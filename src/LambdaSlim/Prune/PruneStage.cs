using LambdaSlim.Model;

namespace LambdaSlim.Prune;

/// <summary>Prunes one prepared artifact with the built-in rule packs and the resource's prune settings.</summary>
public static class PruneStage
{
    /// <param name="stripDir">Where stripped copies of shared objects go (the build's work folder).</param>
    public static PruneOutcome Run(PreparedArtifact artifact, PruneSettings settings, string stripDir, IBuildObserver observer)
    {
        if (settings.Level == PruneLevel.None && settings.Exclude.Count == 0) return Pruner.None(artifact.Unpruned);
        var outcome = Pruner.Apply(artifact.Unpruned, settings, PruneRulePack.All, artifact.Name, stripDir, observer);
        var r = outcome.Report;
        observer.Info($"{artifact.Name}: pruned {r.RemovedFiles} files, {Bytes.Format(r.RemovedBytes)} ({r.Level})" +
            (r.Strip.Files > 0 ? $"; stripped debug symbols from {r.Strip.Files} shared objects, {Bytes.Format(r.Strip.BytesSaved)} ({r.Strip.Tool})" : ""));
        return outcome;
    }

    /// <summary>The outcome with the given files put back (what --repair does for files an import needed).</summary>
    public static PruneOutcome Run(PruneOutcome outcome, IReadOnlySet<string> restore) => Pruner.Restore(outcome, restore);
}
