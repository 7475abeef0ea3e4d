using System.Text.Json;
using LambdaSlim.IO;
using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>
/// A build's outputs are written into a fresh folder beside the committed one and switched over whole: zips first,
/// then the template, the report last, then one swap. After any stop — a failure, Ctrl-C, SIGKILL, a full disk —
/// .lambdaslim/build/ holds the previous complete build or the new complete build, never a mix.
/// </summary>
public sealed class StagedOutput : IDisposable
{
    /// <summary>Where `lambdaslim coldstart` keeps its measurements, beside the zips they were made from.</summary>
    public const string ColdStartFile = "coldstart.json";

    private readonly BuildPaths _live;
    private bool _committed;

    private StagedOutput(BuildPaths live, BuildPaths staged)
    {
        _live = live;
        Paths = staged;
    }

    /// <summary>Where this build writes: the same layout as the committed build, in the staging folder.</summary>
    public BuildPaths Paths { get; }

    public static StagedOutput Begin(BuildPaths live)
    {
        var staged = live.Staged();
        WriteBoundary.CreateDirectory(staged.Output);
        return new StagedOutput(live, staged);
    }

    /// <summary>
    /// Brings an artifact of the committed build along unchanged (a layers-only build keeps the function zips).
    /// False when its zip is gone or no longer what the report says: then it is left out, not trusted.
    /// </summary>
    public bool CarryOver(ArtifactReport artifact)
    {
        var relative = artifact.Kind == ArtifactReport.LayerKind ? BuildPaths.LayerZipRelative(artifact.LogicalId) : BuildPaths.FunctionZipRelative(artifact.LogicalId);
        if (artifact.Zip != relative || CommittedBuild.Mismatch(_live, artifact) is not null) return false;
        HardLink.LinkOrCopy(Path.Combine(_live.Output, relative), Path.Combine(Paths.Output, relative));
        return true;
    }

    /// <summary>
    /// True when the committed build is exactly what this report and the template would write: the same report.json
    /// and template bytes, and every zip intact. A build that would change nothing writes nothing.
    /// </summary>
    public static bool IsCommitted(BuildPaths live, ProjectModel project, BuildReport report)
    {
        if (!File.Exists(live.Report) || !File.Exists(live.Template) || File.ReadAllText(live.Report) != report.ToJson()) return false;
        var zips = report.Layers.Concat(report.Functions).ToDictionary(a => a.LogicalId, a => a.Zip);
        return File.ReadAllText(live.Template) == TemplateRewriter.Rewrite(project.Template.Path, live.Output, zips)
            && report.Layers.Concat(report.Functions).All(a => CommittedBuild.Mismatch(live, a) is null);
    }

    /// <summary>Brings a zip from elsewhere (the shared cache) into the staged build, where its report says it goes.</summary>
    public void Adopt(string zip, ArtifactReport artifact) => HardLink.LinkOrCopy(zip, Path.Combine(Paths.Output, artifact.Zip));

    /// <summary>Writes the template and the report (last: it is what says the build is complete), then swaps the folder in.</summary>
    public async Task CommitAsync(ProjectModel project, BuildReport report, BuildReport? previous, CancellationToken cancellationToken)
    {
        var zips = report.Layers.Concat(report.Functions).ToDictionary(a => a.LogicalId, a => a.Zip);
        // Paths in the template are relative to where it will live, not to the staging folder.
        var template = TemplateRewriter.Rewrite(project.Template.Path, _live.Output, zips);
        await AtomicFile.WriteAllTextAsync(Paths.Template, template, cancellationToken).ConfigureAwait(false);
        await KeepColdStartsAsync(report, previous, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Paths.Report, report.ToJson(), cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        DirectorySwap.Commit(Paths.Output, _live.Output);
        _committed = true;
    }

    /// <summary>Cold-start measurements stay valid for functions whose zip and layers did not change.</summary>
    private async Task KeepColdStartsAsync(BuildReport report, BuildReport? previous, CancellationToken cancellationToken)
    {
        var file = Path.Combine(_live.Output, ColdStartFile);
        if (previous is null || !File.Exists(file)) return;
        Dictionary<string, JsonElement> measured;
        try { measured = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)) ?? []; }
        catch (JsonException) { return; }
        string? Sha(BuildReport r, string id) => r.Layers.Concat(r.Functions).FirstOrDefault(a => a.LogicalId == id)?.Sha256;
        bool Unchanged(FunctionTotalReport t) => Sha(report, t.LogicalId) == Sha(previous, t.LogicalId)
            && t.Layers.Where(l => !l.External).All(l => Sha(report, l.Name) is { } s && s == Sha(previous, l.Name));
        var kept = report.Totals.Where(t => measured.ContainsKey(t.LogicalId) && Unchanged(t)).ToDictionary(t => t.LogicalId, t => measured[t.LogicalId]);
        if (kept.Count > 0)
            await AtomicFile.WriteAllTextAsync(Path.Combine(Paths.Output, ColdStartFile), JsonSerializer.Serialize(kept, BuildReport.Json), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An uncommitted stage is thrown away: the committed build stays as it was.</summary>
    public void Dispose()
    {
        if (_committed) return;
        try { WriteBoundary.DeleteDirectory(Paths.Output); }
        catch (IOException) { } // the next build removes what is left
        catch (UnauthorizedAccessException) { }
    }
}
