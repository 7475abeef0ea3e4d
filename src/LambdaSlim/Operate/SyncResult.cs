namespace LambdaSlim.Operate;

/// <summary>What a sync did: each layer and function it looked at, and whether it changed it.</summary>
public sealed record SyncResult(string StackName, IReadOnlyList<SyncedLayer> Layers, IReadOnlyList<SyncedFunction> Functions)
{
    /// <summary>The write calls made to Lambda: layer versions published, code and configuration updates.</summary>
    public int WriteCalls => Layers.Count(l => l.Published) + Functions.Sum(f => (f.CodeUpdated ? 1 : 0) + (f.LayersUpdated ? 1 : 0));

    public bool NoChanges => WriteCalls == 0;
}
