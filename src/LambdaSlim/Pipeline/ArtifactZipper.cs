using LambdaSlim.IO;
using LambdaSlim.Package;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>Writes an artifact's zip atomically and describes it for the report.</summary>
public static class ArtifactZipper
{
    public static async Task<ArtifactReport> ZipAsync(BuildContext context, PreparedArtifact artifact, string zipPath, CancellationToken cancellationToken)
    {
        var contents = artifact.Shipped;
        var entries = contents.Entries.Select(e => new ZipEntrySource(e.ArchivePath, e.Source)).ToList();
        using var step = context.Observer.Step($"Compressing {artifact.Name}", contents.UnzippedBytes);
        ZipResult? result = null;
        await AtomicFile.WriteAsync(zipPath, async stream =>
        {
            result = await DeterministicZip.WriteAsync(stream, entries, context.Settings.Compression, done => step.Report(done), cancellationToken: cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        step.Status($"{artifact.Name}: {entries.Count} files, {Model.Bytes.Format(result!.UnzippedBytes)} → {Model.Bytes.Format(result.ZippedBytes)}");
        return new ArtifactReport(artifact.LogicalId, artifact.Kind, artifact.Runtime.Name, artifact.Architecture.ToLambdaName(), artifact.ZipRelative,
            result.UnzippedBytes, result.ZippedBytes, result.FileCount, result.Sha256, contents.DistributionSizes(),
            artifact.AssumesLayers, artifact.Prune.Report,
            artifact.Bytecode is { } b ? b with { Bytes = contents.Entries.Where(e => e.ArchivePath.EndsWith(".pyc", StringComparison.Ordinal)).Sum(e => e.Size) } : null,
            artifact.Unpruned.UnzippedBytes, artifact.LeftOutSecrets);
    }
}
