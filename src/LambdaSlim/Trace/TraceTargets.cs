using System.Text.Json;
using LambdaSlim.Install;
using LambdaSlim.Model;
using LambdaSlim.Project;

namespace LambdaSlim.Trace;

/// <summary>An event file a handler is traced on: its full path, and how reports name it (relative to the project).</summary>
public sealed record TraceEvent(string File, string Label);

/// <summary>
/// Which artifacts prune: traced applies to, and the events each function is traced on: those of a traced function,
/// and of every function that uses a traced layer (a layer is traced through the functions that use it). Read from
/// the settings when the build starts, so a mistake in them fails it (exit 4) before pip runs.
/// </summary>
public sealed record TraceTargets(IReadOnlySet<string> Traced, IReadOnlyDictionary<string, IReadOnlyList<TraceEvent>> EventsOf, IReadOnlyList<string> Warnings)
{
    public static readonly TraceTargets None = new(new HashSet<string>(), new Dictionary<string, IReadOnlyList<TraceEvent>>(), []);

    public bool Any => Traced.Count > 0;

    public static TraceTargets Resolve(ProjectModel project)
    {
        bool IsTraced(BuildKind build, LambdaSlimSettings settings) =>
            (TreeArtifact.Settings(build, settings, project.Defaults).GetString("prune") ?? project.Defaults.GetString("prune")) == "traced";
        var traced = new HashSet<string>(StringComparer.Ordinal);
        var tracedLayers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in project.Layers)
        {
            var where = $"layer {layer.LogicalId}";
            if (layer.Settings.GetList("trace-events").Count > 0)
                throw LambdaSlimException.Config($"{where}: trace-events is set on a layer, but a layer is traced through the functions that use it",
                    "move trace-events to those functions' Metadata: LambdaSlim (or the template's)");
            if (IsTraced(layer.Build, layer.Settings)) { traced.Add($"{ArtifactReport.LayerKind} {layer.LogicalId}"); tracedLayers.Add(layer.LogicalId); }
            else if (layer.Settings.GetList("trace-keep").Count > 0) throw NotTraced(where, "trace-keep");
        }
        var events = new Dictionary<string, IReadOnlyList<TraceEvent>>(StringComparer.Ordinal);
        foreach (var fn in project.Functions)
        {
            var where = $"function {fn.LogicalId}";
            var own = IsTraced(fn.Build, fn.Settings);
            var usesTraced = fn.Layers.OfType<LayerRef.Local>().Any(l => tracedLayers.Contains(l.LogicalId));
            if (own) traced.Add($"{ArtifactReport.FunctionKind} {fn.LogicalId}");
            else if (fn.Settings.GetList("trace-keep").Count > 0) throw NotTraced(where, "trace-keep");
            if (!own && !usesTraced)
            {
                if (fn.Settings.GetList("trace-events").Count > 0) throw NotTraced(where, "trace-events");
                continue;
            }
            var globs = fn.Settings.GetList("trace-events") is { Count: > 0 } l ? l : project.Defaults.GetList("trace-events");
            if (globs.Count == 0)
                throw LambdaSlimException.Config(own ? $"{where}: prune: traced needs events to run the handler on"
                        : $"{where}: it uses a layer with prune: traced, which is traced through its functions, but it has no events to run the handler on",
                    "add trace-events: [events/*.json] (globs relative to the project folder) under its Metadata: LambdaSlim");
            events[$"{ArtifactReport.FunctionKind} {fn.LogicalId}"] = globs.SelectMany(g => Files(project.ProjectDir, g, where)).DistinctBy(e => e.File).ToList();
        }
        var warnings = tracedLayers.Where(id => !project.Functions.Any(f => f.Layers.Contains(new LayerRef.Local(id))))
            .Select(id => $"layer {id}: prune: traced, but no function in the template uses it, so there is nothing to trace; it is pruned as with prune: safe").ToList();
        return new TraceTargets(traced, events, warnings);
    }

    private static LambdaSlimException NotTraced(string where, string key) =>
        LambdaSlimException.Config($"{where}: {key} is set but prune is not traced", $"set prune: traced, or remove {key}");

    /// <summary>The event files a glob picks out, each checked to be JSON.</summary>
    private static IEnumerable<TraceEvent> Files(string projectDir, string pattern, string where)
    {
        var glob = new Glob(pattern);
        var normalized = pattern.Replace('\\', '/').TrimStart('/');
        // Only the folder before the first wildcard is searched, so a glob never walks the whole project.
        var fixedPart = string.Join('/', normalized.Split('/').TakeWhile(s => s.IndexOfAny(['*', '?', '[']) < 0));
        var start = Path.Combine(projectDir, fixedPart);
        List<string> found = File.Exists(start) ? [start]
            : Directory.Exists(start) ? Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories)
                .Where(f => glob.IsMatch(Path.GetRelativePath(projectDir, f).Replace('\\', '/'))).Order(StringComparer.Ordinal).ToList()
            : [];
        if (found.Count == 0)
            throw LambdaSlimException.Config($"{where}: trace-events glob '{pattern}' matches no file", "the globs are relative to the project folder, e.g. events/*.json");
        foreach (var file in found)
        {
            var label = Path.GetRelativePath(projectDir, file).Replace('\\', '/');
            try { using var _ = JsonDocument.Parse(File.ReadAllText(file)); }
            catch (JsonException e) { throw LambdaSlimException.Config($"{where}: event {label} is not JSON ({e.Message.Split('\n')[0]})", "an event file holds the JSON Lambda passes the handler"); }
            yield return new TraceEvent(Path.GetFullPath(file), label);
        }
    }
}
