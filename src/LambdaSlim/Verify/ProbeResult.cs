namespace LambdaSlim.Verify;

/// <summary>What one interpreter found: each module's import error (null when it imported), and the handler's.</summary>
public sealed record ProbeResult(IReadOnlyDictionary<string, string?> Imports, string? HandlerError)
{
    public string? GetValueOrDefault(string module) => Imports.GetValueOrDefault(module);
}
