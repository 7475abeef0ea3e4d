using System.Text.Json;
using LambdaSlim.IO;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>
/// The releases kept for rollback, per stack, in .lambdaslim/deploy/STACK/: the last good one (good.json) and the one
/// before it (previous.json), which `lambdaslim rollback` deploys again. The zips they name stay in the versioned
/// artifact bucket under their sha256, so a release can always be deployed again.
/// </summary>
public static class Releases
{
    private static string Folder(BuildPaths paths, string stack) => Path.Combine(paths.Root, "deploy", BuildPaths.FileStem(stack));

    public static async Task RecordAsync(BuildPaths paths, string stack, Release release, CancellationToken cancellationToken)
    {
        var folder = Folder(paths, stack);
        var good = Path.Combine(folder, "good.json");
        if (Load(good) is { } last && last.Template != release.Template)
            await AtomicFile.WriteAllTextAsync(Path.Combine(folder, "previous.json"), JsonSerializer.Serialize(last), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(good, JsonSerializer.Serialize(release), cancellationToken).ConfigureAwait(false);
    }

    public static Release? Previous(BuildPaths paths, string stack) => Load(Path.Combine(Folder(paths, stack), "previous.json"));

    /// <summary>After a rollback, the release rolled back to is the good one, and there is nothing before it to return to.</summary>
    public static async Task RolledBackAsync(BuildPaths paths, string stack, CancellationToken cancellationToken)
    {
        var folder = Folder(paths, stack);
        var previous = Path.Combine(folder, "previous.json");
        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, "good.json"), await File.ReadAllTextAsync(previous, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        WriteBoundary.DeleteFile(previous);
    }

    private static Release? Load(string file)
    {
        try { return File.Exists(file) ? JsonSerializer.Deserialize<Release>(File.ReadAllText(file)) : null; }
        catch (JsonException) { return null; }
    }
}
