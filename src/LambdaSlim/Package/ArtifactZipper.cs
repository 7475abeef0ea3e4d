using LambdaSlim.IO;
using LambdaSlim.Model;

namespace LambdaSlim.Package;

/// <summary>Writes an artifact's zip atomically and describes it for the report.</summary>
public static class ArtifactZipper
{
    /// <param name="shipped">What goes into the zip (after pruning, repair and bytecode).</param>
    /// <param name="prune">What pruning removed, for the report.</param>
    /// <param name="bytecode">What bytecode compiled, for the report.</param>
    public static async Task<ArtifactReport> RunAsync(
        PreparedArtifact artifact, ArtifactContents shipped, PruneReport prune, BytecodeReport? bytecode, string zipPath,
        ZipCompression compression, IBuildObserver observer, CancellationToken cancellationToken)
    {
        var entries = shipped.Entries.Select(e => new ZipEntrySource(e.ArchivePath, e.Source)).ToList();
        using var step = observer.Step($"Compressing {artifact.Name}", shipped.UnzippedBytes);
        ZipResult? result = null;
        await AtomicFile.WriteAsync(zipPath, async stream =>
        {
            result = await DeterministicZip.WriteAsync(stream, entries, compression, done => step.Report(done), cancellationToken: cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        step.Status($"{artifact.Name}: {entries.Count} files, {Bytes.Format(result!.UnzippedBytes)} → {Bytes.Format(result.ZippedBytes)}");
        return new ArtifactReport(artifact.LogicalId, artifact.Kind, artifact.Runtime.Name, artifact.Architecture.ToLambdaName(), artifact.ZipRelative,
            result.UnzippedBytes, result.ZippedBytes, result.FileCount, result.Sha256, shipped.DistributionSizes(),
            artifact.AssumesLayers, prune,
            bytecode is { } b ? b with { Bytes = shipped.Entries.Where(e => e.ArchivePath.EndsWith(".pyc", StringComparison.Ordinal)).Sum(e => e.Size) } : null,
            artifact.Unpruned.UnzippedBytes, artifact.LeftOutSecrets);
    }
}
