
namespace LambdaSlim.Verify;

/// <param name="HandlerError">Why Lambda could not call the handler in what ships (null when it could, or when pruning is to blame: see Broken).</param>
/// <param name="Interpreters">How many interpreters the imports took.</param>
public sealed record VerificationResult(
    string Unit, string? SkippedBecause, int ModulesChecked, IReadOnlyList<ImportFailure> Broken, IReadOnlyList<(string Module, string Error)> PreExisting,
    string? HandlerError = null, int Interpreters = 0);
