using System.Text.Json;
using LambdaSlim.Cache;
using LambdaSlim.IO;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>
/// The findings of audits and verifications this project's builds made, by their stage keys, under
/// .lambdaslim/work/results/. A group whose key is here is not audited or verified again. The build keeps only the
/// results it used, so the folder holds one build's worth.
/// </summary>
public sealed class StageResults(string folder)
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public IReadOnlyList<Finding>? TryLoad(CacheKey key)
    {
        var file = Path.Combine(folder, key + ".json");
        lock (_used) _used.Add(Path.GetFileName(file));
        try { return File.Exists(file) ? JsonSerializer.Deserialize<List<Finding>>(File.ReadAllText(file), BuildReport.Json) : null; }
        catch (JsonException) { return null; }
    }

    public async Task SaveAsync(CacheKey key, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        lock (_used) _used.Add(key + ".json");
        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, key + ".json"), JsonSerializer.Serialize(findings, BuildReport.Json), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the results this build did not use.</summary>
    public void ForgetUnused()
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
            if (!_used.Contains(Path.GetFileName(file))) WriteBoundary.DeleteFile(file);
    }
}
