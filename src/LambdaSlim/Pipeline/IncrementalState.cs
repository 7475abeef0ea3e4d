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

    /// <summary>What an artifact's key covers besides its files: its settings, the template's, the rule packs, the interpreter, the compressor.</summary>
    public ArtifactInputs InputsOf(string logicalId, Model.PythonRuntime runtime) =>
        new(StageKeys.Canonical(BuildPipeline.SettingsOf(_context.Project, logicalId)), StageKeys.Canonical(_context.Project.Defaults),
            Prune.PruneRulePack.Fingerprint, StageKeys.Interpreter(runtime), $"{Package.Deflater.Default.Name}, {_context.Settings.Compression}");

    private Dictionary<string, string>? _sharedKeys;
    private bool _sharedKeysChanged;

    private string SharedKeysFile => Path.Combine(_context.Paths.Work, "shared-keys.json");

    /// <summary>
    /// True when the layer's shared-cache key is the one its last build here had, and that build's install is still
    /// here: the local build reuses it more cheaply than the shared cache could (no download, no unpacking).
    /// </summary>
    public bool BuiltHereWith(Project.LayerSpec layer, CacheKey key)
    {
        _sharedKeys ??= LoadSharedKeys();
        return _enabled && _sharedKeys.GetValueOrDefault(layer.LogicalId) == key.Value && Directory.Exists(_context.Paths.LayerInstall(layer.LogicalId));
    }

    /// <summary>Remembers the shared-cache key of a layer built or taken this time.</summary>
    public void RememberSharedKey(string logicalId, CacheKey key)
    {
        _sharedKeys ??= LoadSharedKeys();
        if (_sharedKeys.GetValueOrDefault(logicalId) == key.Value) return;
        _sharedKeys[logicalId] = key.Value;
        _sharedKeysChanged = true;
    }

    private Dictionary<string, string> LoadSharedKeys()
    {
        try { return File.Exists(SharedKeysFile) ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(SharedKeysFile)) ?? [] : []; }
        catch (System.Text.Json.JsonException) { return []; }
    }

    /// <summary>A pip-built layer's key for the shared cache, before pip runs.</summary>
    public CacheKey SharedLayerKey(Project.LayerSpec layer, IReadOnlyDictionary<string, IReadOnlyList<Distribution>> provided)
    {
        var requirements = Install.LayerBuilder.FindRequirements(layer);
        var install = requirements is null ? null : new Install.InstallRequest(requirements, layer.Runtime, layer.Architecture, _context.Settings.Pip, $"layer {layer.LogicalId}");
        var assumed = layer.AssumesLayers.SelectMany(a => provided.GetValueOrDefault(a) ?? []);
        return SharedCache.LayerKey(layer, install, assumed, _hashes, InputsOf(layer.LogicalId, layer.Runtime));
    }

    /// <summary>Every artifact's key, by artifact name.</summary>
    public Dictionary<string, CacheKey> Keys(IReadOnlyList<PreparedArtifact> artifacts)
    {
        var keys = new Dictionary<string, CacheKey>(StringComparer.Ordinal);
        foreach (var artifact in artifacts)
        {
            keys[artifact.Name] = StageKeys.Artifact(artifact, _hashes, InputsOf(artifact.LogicalId, artifact.Runtime));
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

    /// <summary>The groups whose results are stored under their key (here, or in the shared cache), and those that must be checked.</summary>
    public async Task<(List<Known> Known, List<Unknown> Unknown)> SplitAsync(ArtifactGroups groups, Func<ArtifactGroup, CacheKey> keyOf, SharedCache shared, CancellationToken cancellationToken)
    {
        var known = new List<Known>();
        var unknown = new List<Unknown>();
        foreach (var group in groups.All)
        {
            var key = keyOf(group);
            var findings = _enabled ? _results.TryLoad(key) ?? await shared.TryGetFindingsAsync(key, cancellationToken).ConfigureAwait(false) : null;
            if (findings is not null) known.Add(new Known(group, key, findings));
            else unknown.Add(new Unknown(group, key));
        }
        return (known, unknown);
    }

    /// <summary>Stores the new groups' results under their keys (here and in the shared cache); returns every group's findings, each once, in group order.</summary>
    public async Task<IReadOnlyList<Finding>> MergeAsync(List<Known> known, List<Unknown> unknown, IReadOnlyDictionary<string, IReadOnlyList<Finding>> checkedNow, SharedCache shared, CancellationToken cancellationToken)
    {
        foreach (var k in known.Where(k => _enabled))
            await _results.SaveAsync(k.Key, k.Findings, cancellationToken).ConfigureAwait(false);
        foreach (var u in unknown.Where(u => _enabled))
        {
            var findings = checkedNow.GetValueOrDefault(u.Group.Name) ?? [];
            await _results.SaveAsync(u.Key, findings, cancellationToken).ConfigureAwait(false);
            await shared.PutFindingsAsync(u.Key, findings, cancellationToken).ConfigureAwait(false);
        }
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
        if (_sharedKeysChanged)
            await IO.AtomicFile.WriteAllTextAsync(SharedKeysFile, System.Text.Json.JsonSerializer.Serialize(_sharedKeys), cancellationToken).ConfigureAwait(false);
        if (_enabled) _results.ForgetUnused();
    }
}
