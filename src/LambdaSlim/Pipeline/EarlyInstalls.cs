using LambdaSlim.Sources;

namespace LambdaSlim.Pipeline;

/// <summary>A resource's own files, chosen before any pip ran, and its install when one was started.</summary>
internal sealed record EarlyInstall(SourceSelection Sources, Task<string>? Installing);

/// <summary>The installs a full build started side by side before preparing the artifacts, by logical ID.</summary>
internal sealed record EarlyInstalls(IReadOnlyDictionary<string, EarlyInstall> Layers, IReadOnlyDictionary<string, EarlyInstall> Functions)
{
    public static EarlyInstalls None { get; } = new(new Dictionary<string, EarlyInstall>(), new Dictionary<string, EarlyInstall>());

    /// <summary>Waits for every started install to end, however it ends (after a failure elsewhere, they are cancelled).</summary>
    public async Task SettleAsync()
    {
        foreach (var task in Layers.Values.Concat(Functions.Values).Select(e => e.Installing).OfType<Task<string>>())
        {
            try { await task.ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or LambdaSlimException or IOException) { }
        }
    }
}
