using LambdaSlim.IO;
using LambdaSlim.Package;
using LambdaSlim.Report;

namespace LambdaSlim.Build;

/// <summary>Writes an artifact's zip atomically and describes it for the report.</summary>
public static class ArtifactZipper
{
    public static async Task<ArtifactReport> ZipAsync(
        BuildContext context, string logicalId, string kind, string runtime, string architecture,
        ArtifactContents contents, string zipPath, string zipRelative, CancellationToken cancellationToken)
    {
        var entries = contents.ZipEntries();
        var total = entries.Sum(e => new FileInfo(e.SourcePath).Length);
        using var step = context.Observer.Step($"Compressing {kind} {logicalId}", total);
        ZipResult? result = null;
        await AtomicFile.WriteAsync(zipPath, async stream =>
        {
            result = await DeterministicZip.WriteAsync(stream, entries, context.Settings.Compression, done => step.Report(done), cancellationToken: cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        step.Status($"{kind} {logicalId}: {entries.Count} files, {Validate.Bytes.Format(result!.UnzippedBytes)} → {Validate.Bytes.Format(result.ZippedBytes)}");
        return new ArtifactReport(logicalId, kind, runtime, architecture, zipRelative,
            result.UnzippedBytes, result.ZippedBytes, result.FileCount, result.Sha256, contents.DistributionSizes());
    }
}
