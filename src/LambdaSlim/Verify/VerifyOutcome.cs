using LambdaSlim.Model;

namespace LambdaSlim.Verify;

/// <param name="Findings">What verification found, as the build reports it.</param>
/// <param name="Restore">
/// When every import pruning broke is blamed on removed files: those files, per artifact, for --repair to put back.
/// Empty when nothing broke, or when some break no removed file explains.
/// </param>
public sealed record VerifyOutcome(IReadOnlyList<Finding> Findings, IReadOnlyList<RestoreRequest> Restore);
