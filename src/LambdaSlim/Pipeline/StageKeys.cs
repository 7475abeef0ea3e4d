using LambdaSlim.Cache;
using LambdaSlim.Model;
using LambdaSlim.Project;
using LambdaSlim.Runtimes;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Pipeline;

/// <summary>
/// The cache keys of an incremental build: each is a hash of everything that can change a stage's output. An
/// artifact's key covers what prune, bytecode and zip read (every file's bytes, path and owner, the settings, the rule
/// packs, the interpreter, the compressor, LambdaSlim itself); an audit's or verification's key covers its group's
/// artifact keys in order and what that stage reads besides.
/// </summary>
public static class StageKeys
{
    /// <summary>LambdaSlim itself: the build of its assembly (deterministic, so it changes when code or embedded data does).</summary>
    public static string Tool { get; } = typeof(StageKeys).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public static CacheKey Artifact(PreparedArtifact artifact, FileHashes hashes, ArtifactInputs inputs) =>
        new KeyBuilder("artifact")
            .Add("tool", Tool)
            .Add("artifact", $"{artifact.Kind} {artifact.LogicalId} {artifact.Runtime.Name} {artifact.Architecture.ToLambdaName()} {artifact.ZipRelative}")
            .Add("files", artifact.Unpruned.Entries.Select(e =>
                $"{e.ArchivePath}\t{hashes.Of(e.Source)}\t{(e.Owner is { } o ? $"{o.Name}=={o.Version}" : "")}\t{e.Installed}"))
            .Add("assumes", artifact.AssumesLayers ?? [])
            .Add("left-out", (artifact.LeftOutSecrets ?? []).Select(l => $"{l.Path}\t{l.Reason}"))
            .Add("settings", inputs.Settings)
            .Add("defaults", inputs.Defaults)
            .Add("rule-packs", inputs.RulePacks)
            .Add("python", inputs.Interpreter)
            .Add("compressor", inputs.Compressor)
            .Build();

    public static CacheKey Audit(ArtifactGroup group, IReadOnlyDictionary<string, CacheKey> artifactKeys, AuditMode mode, string manifest) =>
        Group(new KeyBuilder("audit").Add("mode", mode.ToString()).Add("manifest", manifest), group, artifactKeys).Build();

    public static CacheKey Verify(ArtifactGroup group, IReadOnlyDictionary<string, CacheKey> artifactKeys, IEnumerable<string> optionalImports, string interpreter) =>
        Group(new KeyBuilder("verify").Add("optional-imports", optionalImports.Order(StringComparer.Ordinal)).Add("python", interpreter)
            .Add("handler", $"{group.HandlerModule}.{group.HandlerFunction}").Add("variables", Variables(group)), group, artifactKeys).Build();

    /// <summary>The function's environment variables as key lines: the handler runs with them at build time.</summary>
    public static IEnumerable<string> Variables(ArtifactGroup group) =>
        (group.Variables ?? new Dictionary<string, string>()).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}");

    private static KeyBuilder Group(KeyBuilder key, ArtifactGroup group, IReadOnlyDictionary<string, CacheKey> artifactKeys) =>
        key.Add("tool", Tool)
            .Add("group", $"{group.Name} {group.Runtime.Name} {group.Architecture.ToLambdaName()} {group.Function}")
            .Add("members", group.Members.Select(m => $"{m}\t{artifactKeys[m]}"));

    /// <summary>
    /// The interpreter a runtime's stages run, as its full version (sys.version: release and build), or "none". Not
    /// its path: two machines with the same CPython make the same bytecode, and share a cache.
    /// </summary>
    public static string Interpreter(PythonRuntime runtime)
    {
        if (PythonFinder.Find(runtime) is not { } python) return "none";
        return Versions.GetOrAdd(python, p =>
        {
            var result = IO.ProcessRunner.RunAsync(p, ["-I", "-S", "-c", "import sys; print(sys.version)"]).GetAwaiter().GetResult();
            return result.ExitCode == 0 ? result.StdOut.Trim() : p;
        });
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Versions = new(StringComparer.Ordinal);

    /// <summary>Settings as text, in the order written: the same settings give the same text.</summary>
    public static string Canonical(LambdaSlimSettings settings)
    {
        if (settings.Node is null) return "";
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(settings.Node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}

/// <summary>What an artifact's key covers besides its files.</summary>
public sealed record ArtifactInputs(string Settings, string Defaults, string RulePacks, string Interpreter, string Compressor);
