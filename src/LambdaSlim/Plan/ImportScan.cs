namespace LambdaSlim.Plan;

/// <summary>
/// What one folder's Python files import: top-level names outside the standard library and the folder itself
/// (<see cref="Imports"/>), whether some import is computed at run time (<see cref="Dynamic"/>), and the files that
/// did not parse (<see cref="Errors"/>). Unresolved when either is set: its function then keeps all it has.
/// </summary>
public sealed record ImportScan(string Folder, IReadOnlyList<string> Imports, IReadOnlyList<string> Dynamic, IReadOnlyList<string> Errors)
{
    public bool Resolved => Dynamic.Count == 0 && Errors.Count == 0;
}
