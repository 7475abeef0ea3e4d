namespace LambdaSlim.Verify;

/// <summary>Files pruning removed from one artifact that failing imports needed: --repair puts them back.</summary>
public sealed record RestoreRequest(string Artifact, IReadOnlyList<Blame> Files)
{
    public IReadOnlySet<string> ArchivePaths => Files.Select(b => b.ArchivePath).ToHashSet(StringComparer.Ordinal);

    /// <summary>What the pipeline says when it puts them back.</summary>
    public string Message =>
        $"repair: put back {Files.Count} file{(Files.Count == 1 ? "" : "s")} in {Artifact} that imports needed ({string.Join(", ", Files.Select(b => b.Rule).Distinct())}); verifying again";
}
