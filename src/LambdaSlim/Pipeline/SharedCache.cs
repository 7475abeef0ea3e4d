using System.IO.Compression;
using System.Text.Json;
using LambdaSlim.Cache;
using LambdaSlim.Install;
using LambdaSlim.IO;
using LambdaSlim.Model;
using LambdaSlim.Project;

namespace LambdaSlim.Pipeline;

/// <summary>
/// The cache shared between machines (--cache DIR or s3://bucket/prefix, $LAMBDASLIM_CACHE, or the template's
/// Metadata: LambdaSlim: cache:): finished layer zips, under a key computed before pip runs, so a second checkout
/// builds its layers without installing; and audit and verification findings, under their group keys. It holds
/// nothing a function would not ship: the zips are what the build ships, after the secret rules.
/// </summary>
internal sealed class SharedCache : IDisposable
{
    private readonly ICacheStore? _store;
    private readonly string _scratch;

    private SharedCache(ICacheStore? store, string scratch)
    {
        _store = store;
        _scratch = scratch;
    }

    /// <summary>No shared cache: none is configured, or --clean, --no-cache or --repair is given.</summary>
    public static SharedCache None { get; } = new(null, "");

    public bool Enabled => _store is { Readable: true };

    /// <summary>Opens the configured cache; <see cref="None"/> when none is, or when the build must not reuse anything.</summary>
    public static SharedCache Open(BuildRequest request, ProjectModel project, BuildPaths paths, IBuildObserver observer)
    {
        if (request.Clean || request.NoCache || request.Repair || Configured(request, project) is not { } location) return None;
        var scratch = Path.Combine(paths.Work, "shared");
        WriteBoundary.CreateDirectory(scratch);
        return new SharedCache(CacheStore.Open(location, observer), scratch);
    }

    /// <summary>The folders a build must be allowed to write to for this cache (a local cache folder).</summary>
    public static IReadOnlyList<string> WriteRoots(BuildRequest request, ProjectModel project) => Configured(request, project)?.WriteRoots ?? [];

    /// <summary>The cache --cache, $LAMBDASLIM_CACHE or the template's cache: names, in that order; null when none does (there is no default).</summary>
    private static CacheLocation? Configured(BuildRequest request, ProjectModel project)
    {
        var fromTemplate = project.Defaults.GetString(CacheLocation.TemplateKey);
        var configured = request.Cache is not null || Environment.GetEnvironmentVariable(CacheLocation.EnvironmentVariable) is { Length: > 0 } || fromTemplate is not null;
        return configured ? CacheLocation.Resolve(request.Cache, fromTemplate, project.ProjectDir) : null;
    }

    /// <summary>
    /// A pip-built layer's key before anything is installed: its requirements as pip reads them (every file they pull
    /// in), the files of its ContentUri, the distributions the layers it assumes provide, its settings, and what the
    /// artifact key covers besides.
    /// </summary>
    public static CacheKey LayerKey(LayerSpec layer, InstallRequest? install, IEnumerable<Distribution> assumed, FileHashes hashes, ArtifactInputs inputs) =>
        new KeyBuilder("shared-layer")
            .Add("tool", StageKeys.Tool)
            .Add("layer", $"{layer.LogicalId} {layer.Runtime.Name} {layer.Architecture.ToLambdaName()}")
            .Add("install", install?.Fingerprint() ?? "none")
            .Add("files", OwnFiles(layer.ContentDir).Select(f => $"{Path.GetRelativePath(layer.ContentDir, f).Replace('\\', '/')}\t{hashes.Of(f)}"))
            .Add("assumed", assumed.Select(d => $"{d.NormalizedName}=={d.Version}").Order(StringComparer.Ordinal))
            .Add("settings", inputs.Settings)
            .Add("defaults", inputs.Defaults)
            .Add("rule-packs", inputs.RulePacks)
            .Add("python", inputs.Interpreter)
            .Add("compressor", inputs.Compressor)
            .Build();

    /// <summary>Every file under a ContentUri but LambdaSlim's, SAM's and git's own folders: more than ships, so the key changes whenever what ships could.</summary>
    private static IEnumerable<string> OwnFiles(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Where(f => !Path.GetRelativePath(folder, f).Replace('\\', '/').Split('/').Any(p => p is ".lambdaslim" or ".aws-sam" or ".git" or "__pycache__"))
                .Order(StringComparer.Ordinal)
            : [];

    /// <summary>What a cached layer brings: its report (with its artifact key), the distributions it provides, and its zip here.</summary>
    public sealed record CachedLayer(ArtifactReport Report, IReadOnlyList<Distribution> Provides, string Zip, ArtifactContents Contents);

    private sealed record LayerManifest(ArtifactReport Report, IReadOnlyList<Distribution> Provides);

    /// <summary>
    /// The layer stored under the key, unpacked under .lambdaslim/work/shared/. What an earlier build here took from the
    /// shared cache is used from there again, checked by its sha256, without downloading or unpacking it again.
    /// </summary>
    public async Task<CachedLayer?> TryGetLayerAsync(CacheKey key, CancellationToken cancellationToken)
    {
        if (!Enabled) return null;
        var zip = Path.Combine(_scratch, key + ".zip");
        var root = Path.Combine(_scratch, key.Value);
        var kept = Path.Combine(_scratch, key + ".manifest.json");
        if (ReadManifest(File.Exists(kept) ? await File.ReadAllBytesAsync(kept, cancellationToken).ConfigureAwait(false) : null) is { } local
            && Directory.Exists(root) && CommittedBuild.Mismatch(zip, local.Report) is null)
            return Unpacked(local, zip, root);

        var json = await _store!.TryGetBytesAsync(Part(key, "manifest"), _scratch, cancellationToken).ConfigureAwait(false);
        if (ReadManifest(json) is not { } manifest) return null;
        if (!await _store!.TryGetAsync(Part(key, "zip"), zip, cancellationToken).ConfigureAwait(false)) return null;
        if (CommittedBuild.Mismatch(zip, manifest.Report) is not null) return null;
        WriteBoundary.DeleteDirectory(root);
        Extract(zip, root);
        await AtomicFile.WriteAllTextAsync(kept, System.Text.Encoding.UTF8.GetString(json!), cancellationToken).ConfigureAwait(false);
        return Unpacked(manifest, zip, root);
    }

    private static LayerManifest? ReadManifest(byte[]? json)
    {
        try { return json is not null && JsonSerializer.Deserialize<LayerManifest>(json, BuildReport.Json) is { Report.InputKey: { } input } m && CacheKey.TryParse(input, out _) ? m : null; }
        catch (JsonException) { return null; }
    }

    private static CachedLayer Unpacked(LayerManifest manifest, string zip, string root)
    {
        var contents = new ArtifactContents(LayerBuilder.PythonPrefix);
        var site = Path.Combine(root, "python");
        contents.AddInstall(site, DistributionScanner.Scan(site), new HashSet<string>(), new HashSet<string>());
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            contents.TryAdd(Path.GetRelativePath(root, file).Replace('\\', '/'), file, installed: true);
        return new CachedLayer(manifest.Report, manifest.Provides, zip, contents);
    }

    public async Task PutLayerAsync(CacheKey key, ArtifactReport report, IReadOnlyList<Distribution> provides, string zip, CancellationToken cancellationToken)
    {
        if (_store is not { Writable: true }) return;
        if (!await _store.PutAsync(Part(key, "zip"), zip, cancellationToken).ConfigureAwait(false)) return;
        await _store.PutBytesAsync(Part(key, "manifest"), JsonSerializer.SerializeToUtf8Bytes(new LayerManifest(report, provides), BuildReport.Json), _scratch, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Finding>?> TryGetFindingsAsync(CacheKey key, CancellationToken cancellationToken)
    {
        if (!Enabled) return null;
        var json = await _store!.TryGetBytesAsync(key, _scratch, cancellationToken).ConfigureAwait(false);
        try { return json is null ? null : JsonSerializer.Deserialize<List<Finding>>(json, BuildReport.Json); }
        catch (JsonException) { return null; }
    }

    public async Task PutFindingsAsync(CacheKey key, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        if (_store is not { Writable: true }) return;
        await _store.PutBytesAsync(key, JsonSerializer.SerializeToUtf8Bytes(findings, BuildReport.Json), _scratch, cancellationToken).ConfigureAwait(false);
    }

    private static CacheKey Part(CacheKey key, string part) => new KeyBuilder("shared-layer-" + part).Add("key", key.Value).Build();

    /// <summary>Unpacks a cached zip; an entry that would land outside the folder means the entry is not ours, so nothing of it is used.</summary>
    private static void Extract(string zip, string root)
    {
        using var archive = ZipFile.OpenRead(zip);
        var full = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
        foreach (var entry in archive.Entries)
        {
            if (entry.FullName.EndsWith('/')) continue;
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (!target.StartsWith(full, StringComparison.Ordinal))
                throw LambdaSlimException.Input($"the cached layer {zip} holds {entry.FullName}, outside its folder", "remove the entry from the shared cache (lambdaslim cache prune) and build again");
            WriteBoundary.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(WriteBoundary.Check(target), overwrite: true);
        }
    }

    public void Dispose() => _store?.Dispose();
}
