using LambdaSlim.Project;
using LambdaSlim.Prune;

namespace LambdaSlim.Pipeline;

/// <summary>Prunes one prepared artifact with the built-in rule packs and the resource's own settings.</summary>
public static class PruneStage
{
    public static PruneOutcome Apply(BuildContext context, PreparedArtifact artifact, LambdaSlimSettings resourceSettings)
    {
        var settings = PruneSettings.From(resourceSettings, context.Project.Defaults, artifact.Name);
        if (settings.Level == PruneLevel.None && settings.Exclude.Count == 0) return Pruner.None(artifact.Unpruned);
        var outcome = Pruner.Apply(artifact.Unpruned, settings, PruneRulePack.All, artifact.Name,
            Path.Combine(context.Paths.Work, "stripped"), context.Observer);
        var r = outcome.Report;
        context.Observer.Info($"{artifact.Name}: pruned {r.RemovedFiles} files, {Model.Bytes.Format(r.RemovedBytes)} ({r.Level})" +
            (r.Strip.Files > 0 ? $"; stripped debug symbols from {r.Strip.Files} shared objects, {Model.Bytes.Format(r.Strip.BytesSaved)} ({r.Strip.Tool})" : ""));
        return outcome;
    }
}
