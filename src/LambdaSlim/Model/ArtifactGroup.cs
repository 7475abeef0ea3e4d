namespace LambdaSlim.Model;

/// <summary>
/// What Lambda loads together, checked as one by the audit and import verification: a function with its layers in
/// order, or a layer no function uses with the layers it assumes underneath. Members are named by artifact name
/// ("layer Deps", "function Api").
/// </summary>
public sealed record ArtifactGroup(
    string Name, PythonRuntime Runtime, Architecture Architecture, IReadOnlyList<string> Layers, string? Function,
    string? HandlerModule = null, string? HandlerFunction = null, IReadOnlyDictionary<string, string>? Variables = null)
{
    /// <summary>The layers in order, then the function.</summary>
    public IEnumerable<string> Members => Function is null ? Layers : Layers.Append(Function);
}
