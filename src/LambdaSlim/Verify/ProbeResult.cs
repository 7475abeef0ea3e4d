namespace LambdaSlim.Verify;

/// <summary>
/// What the interpreters found: each module's import error (null when it imported), and the handler's; and how many
/// interpreters it took (one, or one per import when one crashed).
/// </summary>
public sealed record ProbeResult(IReadOnlyDictionary<string, string?> Imports, string? HandlerError, int Interpreters = 1)
{
    public string? GetValueOrDefault(string module) => Imports.GetValueOrDefault(module);
}
