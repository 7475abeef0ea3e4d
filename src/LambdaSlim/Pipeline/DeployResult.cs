using LambdaSlim.Aws;

namespace LambdaSlim.Pipeline;

/// <param name="Uploads">Every zip of the build, where it is in S3, and whether this deploy uploaded it.</param>
/// <param name="Template">The deployed template, with its zips in S3 (also written to .lambdaslim/deploy/STACK/template.yaml).</param>
/// <param name="Outcome">The stack's end state when the change set was executed; null when there was nothing to do or --no-execute.</param>
/// <param name="LayersFirst">With --layers-first on an existing stack whose layers and functions both change: the plan of the two change sets.</param>
/// <param name="Layers">Stage 1's change set (publishing the layers); <see cref="ChangeSet"/> is then stage 2's (or stage 1's too, with --no-execute).</param>
/// <param name="LayersOutcome">The stack's state after stage 1.</param>
public sealed record DeployResult(IReadOnlyList<S3Artifact> Uploads, string Template, PreparedChangeSet ChangeSet, StackProgress? Outcome,
    LayersFirstPlan? LayersFirst = null, PreparedChangeSet? Layers = null, StackProgress? LayersOutcome = null);
