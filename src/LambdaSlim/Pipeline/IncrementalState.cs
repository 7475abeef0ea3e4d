using LambdaSlim.Cache;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>
/// What an incremental build may reuse from the last one: an artifact whose key matches the key its zip was made
/// from (and whose zip is intact) is not pruned, compiled or zipped again; a group whose audit or verification key
/// matches a stored result is not checked again. Off with --clean, --no-cache and --repair (a repair changes what
/// ships beyond what the keys cover), when everything runs as in a first build.
/// </summary>
internal sealed class IncrementalState
{
    private readonly BuildContext _context;
    private readonly BuildReport? _previous;
    private readonly FileHashes _hashes;
    private readonly StageResults _results;
    private readonly bool _enabled;
    private readonly HashSet<string> _hashed = new(StringComparer.Ordinal);

    private IncrementalState(BuildContext context, BuildReport? previous, bool enabled)
    {
        _context = context;
        _previous = previous;
        _enabled = enabled;
        _hashes = FileHashes.Open(Path.Combine(context.Paths.Work, "file-hashes.json"));
        _results = new StageResults(Path.Combine(context.Paths.Work, "results"));
    }

    public static IncrementalState Open(BuildContext context, BuildRequest request, BuildReport? previous) =>
        new(context, previous, enabled: !request.Clean && !request.NoCache && !request.Repair);

    /// <summary>Every artifact's key, by artifact name.</summary>
    public Dictionary<string, CacheKey> Keys(IReadOnlyList<PreparedArtifact> artifacts)
    {
        var project = _context.Project;
        var defaults = StageKeys.Canonical(project.Defaults);
        var compressor = $"{Package.Deflater.Default.Name}, {_context.Settings.Compression}";
        var interpreters = artifacts.Select(a => a.Runtime).Distinct().ToDictionary(r => r, StageKeys.Interpreter);
        var keys = new Dictionary<string, CacheKey>(StringComparer.Ordinal);
        foreach (var artifact in artifacts)
        {
            var settings = BuildPipeline.SettingsOf(project, artifact.LogicalId);
            keys[artifact.Name] = StageKeys.Artifact(artifact, _hashes,
                new ArtifactInputs(StageKeys.Canonical(settings), defaults, Prune.PruneRulePack.Fingerprint, interpreters[artifact.Runtime], compressor));
            foreach (var e in artifact.Unpruned.Entries) _hashed.Add(e.Source);
        }
        return keys;
    }

    /// <summary>The last build's report of this artifact when it was made from the same key and its zip is intact; else null.</summary>
    public ArtifactReport? Reusable(PreparedArtifact artifact, CacheKey key)
    {
        if (!_enabled || _previous is null) return null;
        var last = _previous.Layers.Concat(_previous.Functions).FirstOrDefault(a => a.LogicalId == artifact.LogicalId && a.Kind == artifact.Kind);
        if (last is null || last.InputKey != key.Value || last.Zip != artifact.ZipRelative) return null;
        return _reusable.GetOrAdd(artifact.Name, _ => CommittedBuild.Mismatch(_context.Paths, last) is null) ? last : null;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _reusable = new(StringComparer.Ordinal);

    public sealed record Known(ArtifactGroup Group, CacheKey Key, IReadOnlyList<Finding> Findings);

    public sealed record Unknown(ArtifactGroup Group, CacheKey Key);

    /// <summary>The groups whose results are stored under their key, and those that must be checked.</summary>
    public (List<Known> Known, List<Unknown> Unknown) Split(ArtifactGroups groups, Func<ArtifactGroup, CacheKey> keyOf)
    {
        var known = new List<Known>();
        var unknown = new List<Unknown>();
        foreach (var group in groups.All)
        {
            var key = keyOf(group);
            if (_enabled && _results.TryLoad(key) is { } findings) known.Add(new Known(group, key, findings));
            else unknown.Add(new Unknown(group, key));
        }
        return (known, unknown);
    }

    /// <summary>Stores the new groups' results under their keys; returns every group's findings, each once, in group order.</summary>
    public async Task<IReadOnlyList<Finding>> MergeAsync(List<Known> known, List<Unknown> unknown, IReadOnlyDictionary<string, IReadOnlyList<Finding>> checkedNow, CancellationToken cancellationToken)
    {
        foreach (var u in unknown)
            if (_enabled) await _results.SaveAsync(u.Key, checkedNow.GetValueOrDefault(u.Group.Name) ?? [], cancellationToken).ConfigureAwait(false);
        var byGroup = known.ToDictionary(k => k.Group.Name, k => k.Findings, StringComparer.Ordinal);
        foreach (var u in unknown) byGroup[u.Group.Name] = checkedNow.GetValueOrDefault(u.Group.Name) ?? [];
        return known.Select(k => k.Group).Concat(unknown.Select(u => u.Group))
            .SelectMany(g => byGroup[g.Name]).Distinct().ToList();
    }

    /// <summary>
    /// Splits a stage's findings by the group they are about: its own name, else a member's (a layer's finding belongs
    /// to every group with that layer), else the first group.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Finding>> ByGroup(ArtifactGroups groups, IReadOnlyList<Finding> findings)
    {
        var byGroup = groups.All.ToDictionary(g => g.Name, _ => new List<Finding>(), StringComparer.Ordinal);
        foreach (var finding in findings)
        {
            var owners = byGroup.ContainsKey(finding.Subject) ? [finding.Subject]
                : groups.All.Where(g => g.Members.Contains(finding.Subject)).Select(g => g.Name).ToList();
            if (owners.Count == 0 && groups.All.Count > 0) owners = [groups.All[0].Name];
            foreach (var owner in owners) byGroup[owner].Add(finding);
        }
        return byGroup.ToDictionary(p => p.Key, p => (IReadOnlyList<Finding>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>Remembers the file hashes this build used and forgets results it did not.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await _hashes.SaveAsync(_hashed, cancellationToken).ConfigureAwait(false);
        if (_enabled) _results.ForgetUnused();
    }
}
