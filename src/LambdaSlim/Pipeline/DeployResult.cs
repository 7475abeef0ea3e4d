using LambdaSlim.Aws;

namespace LambdaSlim.Pipeline;

/// <param name="Uploads">Every zip of the build, where it is in S3, and whether this deploy uploaded it.</param>
/// <param name="Template">The deployed template, with its zips in S3 (also written to .lambdaslim/deploy/STACK/template.yaml).</param>
/// <param name="Outcome">The stack's end state when the change set was executed; null when there was nothing to do or --no-execute.</param>
public sealed record DeployResult(IReadOnlyList<S3Artifact> Uploads, string Template, PreparedChangeSet ChangeSet, StackProgress? Outcome);
