using System.Text.RegularExpressions;
using LambdaSlim.Model;
using LambdaSlim.Project;

namespace LambdaSlim.Plan;

/// <summary>
/// Makes the planner's problem from a project and its committed build: the items are the distributions in the built
/// zips at their built size (after pruning and bytecode), plus each layer's own files; each function needs what its
/// code imports (read with `ast`), what its requirements.txt names, and everything those require (Requires-Dist),
/// resolved as Lambda resolves them: its package first, then its layers in order, then anything else in the build.
/// </summary>
public static partial class PlanInputReader
{
    public static async Task<PlanInput> ReadAsync(ProjectModel project, BuildPaths paths, BuildReport report, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var artifacts = report.Layers.Concat(report.Functions)
            .ToDictionary(a => a.LogicalId, a => BuiltArtifact.Read(a, Path.Combine(paths.Output, a.Zip)), StringComparer.Ordinal);
        var layerSpecs = project.Layers.ToDictionary(l => l.LogicalId, StringComparer.Ordinal);

        var stale = report.Functions.Select(f => f.LogicalId).Where(id => project.Functions.All(f => f.LogicalId != id))
            .Concat(report.Layers.Select(l => l.LogicalId).Where(id => !layerSpecs.ContainsKey(id))).ToList();
        if (stale.Count > 0)
            notes.Add($"sizes are from a build of a different template ({string.Join(", ", stale)} no longer in it): run 'lambdaslim build' for sizes of this one");
        var functions = new List<FunctionSpec>();
        foreach (var f in project.Functions)
        {
            if (artifacts.TryGetValue(f.LogicalId, out var a) && !a.IsLayer) functions.Add(f);
            else notes.Add($"{f.LogicalId} is not in the last build, so the plan leaves it out: run 'lambdaslim build' first");
        }

        // Items: every distribution of a layer LambdaSlim installs or a function, and each layer's own files. A layer
        // that ships as it is (or that make builds) is one item: its content cannot be split by a requirements file.
        var items = new Dictionary<string, PlanItem>(StringComparer.Ordinal);
        var holders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var requirement = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var art in artifacts.Values)
        {
            if (art.IsLayer && !Splittable(art, layerSpecs))
            {
                Add(new PlanItem(art.LogicalId, "", art.Report.UnzippedBytes, art.LogicalId), art.LogicalId);
                continue;
            }
            foreach (var d in art.Distributions.Values)
            {
                var item = PlanItem.Dist(d.Name, d.Version, d.Bytes);
                Add(item, art.LogicalId);
                requirement[item.Key] = $"{d.Name}=={d.Version}";
            }
            if (art.IsLayer && art.Modules.Values.Any(v => v is null))
                Add(new PlanItem(art.LogicalId, "", art.OwnBytes, art.LogicalId), art.LogicalId);
        }

        void Add(PlanItem item, string holder)
        {
            items.TryAdd(item.Key, item);
            if (!holders.TryGetValue(item.Key, out var list)) holders[item.Key] = list = [];
            list.Add(holder);
        }

        // Imports: each function's code, and the own files of layers, read with the runtime's CPython.
        var folders = functions.Select(f => (f.Runtime, Folder: f.CodeDir))
            .Concat(project.Layers.Where(l => items.ContainsKey(OwnKey(l.LogicalId)) && Splittable(artifacts.GetValueOrDefault(l.LogicalId), layerSpecs))
                .Select(l => (l.Runtime, Folder: l.HasOwnPythonFolder ? Path.Combine(l.ContentDir, "python") : l.ContentDir)))
            .ToList();
        var scans = new Dictionary<string, ImportScan>(StringComparer.Ordinal);
        foreach (var byRuntime in folders.GroupBy(f => f.Runtime))
            foreach (var scan in await ImportScanner.ScanAsync(byRuntime.Key, byRuntime.Select(f => f.Folder).Distinct().ToList(), cancellationToken).ConfigureAwait(false))
                scans[scan.Folder] = scan;
        var layerScans = project.Layers.Where(l => scans.ContainsKey(l.HasOwnPythonFolder ? Path.Combine(l.ContentDir, "python") : l.ContentDir))
            .ToDictionary(l => OwnKey(l.LogicalId), l => scans[l.HasOwnPythonFolder ? Path.Combine(l.ContentDir, "python") : l.ContentDir], StringComparer.Ordinal);

        var planFunctions = new List<PlanFunction>();
        var currentLayers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var f in functions)
        {
            var own = artifacts[f.LogicalId];
            var view = new List<BuiltArtifact> { own };
            view.AddRange(f.Layers.OfType<LayerRef.Local>().Select(l => artifacts.GetValueOrDefault(l.LogicalId)).OfType<BuiltArtifact>());
            var everywhere = view.Concat(artifacts.Values.Except(view)).ToList();
            currentLayers[f.LogicalId] = f.Layers.Select(l => l.ToString()).ToList();

            var needs = new HashSet<string>(StringComparer.Ordinal);
            var scan = scans[f.CodeDir];
            if (!scan.Resolved)
            {
                var why = scan.Errors.Count > 0 ? $"its code could not be read ({scan.Errors[0]})" : $"it imports modules named at run time ({string.Join(", ", scan.Dynamic.Take(3))})";
                notes.Add($"{f.LogicalId}: {why}, so it keeps everything its package and layers give it now");
                foreach (var art in view) needs.UnionWith(Held(art, items, layerSpecs));
            }
            else
            {
                var pending = new Queue<string>();
                foreach (var module in scan.Imports)
                {
                    var key = Module(module, everywhere, layerSpecs);
                    if (key is null) notes.Add($"{f.LogicalId} imports {module}, which nothing in the build provides (an optional import, or a requirement missing)");
                    else if (key.Length > 0) pending.Enqueue(key);
                }
                foreach (var name in Requirements(f.RequirementsFile))
                    if (DistributionKey(name, everywhere, layerSpecs) is { } key) pending.Enqueue(key);
                while (pending.TryDequeue(out var key))
                {
                    if (!needs.Add(key)) continue;
                    var item = items[key];
                    if (item.OwnFilesOf is not null)
                    {
                        if (layerScans.TryGetValue(key, out var layerScan))
                            foreach (var module in layerScan.Imports)
                                if (Module(module, everywhere, layerSpecs) is { Length: > 0 } dep) pending.Enqueue(dep);
                        continue;
                    }
                    var dist = everywhere.Select(a => a.Distributions.GetValueOrDefault(Distribution.Normalize(item.Name))).OfType<BuiltDistribution>().First(d => d.Version == item.Version);
                    foreach (var required in dist.Requires)
                        if (DistributionKey(required, everywhere, layerSpecs) is { } dep) pending.Enqueue(dep);
                }
            }
            var fixedLayers = f.Layers.OfType<LayerRef.External>().Select(l => new FixedLayer(l.Display,
                report.Totals.FirstOrDefault(t => t.LogicalId == f.LogicalId)?.Layers.FirstOrDefault(r => r.External && r.Name == l.Display)?.UnzippedBytes)).ToList();
            foreach (var unknown in fixedLayers.Where(l => l.Bytes is null))
                notes.Add($"{f.LogicalId}: the size of {unknown.Display} is not known, so its total is a lower bound");
            planFunctions.Add(new PlanFunction(f.LogicalId, own.OwnBytes, needs.Order(StringComparer.Ordinal).ToList(), fixedLayers));
        }

        var zips = report.Layers.Concat(report.Functions).ToList();
        var unzipped = zips.Sum(a => a.UnzippedBytes);
        var ratio = unzipped > 0 ? (double)zips.Sum(a => a.ZippedBytes) / unzipped : 0.4;
        var problem = new PlanProblem(items.Values.OrderBy(i => i.Key, StringComparer.Ordinal).ToList(), planFunctions, PlanLimits.Lambda(ratio));
        var requires = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var art in artifacts.Values)
            foreach (var d in art.Distributions.Values) requires.TryAdd(PlanItem.Dist(d.Name, d.Version, 0).Key, d.Requires);
        foreach (var (key, scan) in layerScans)
        {
            var all = artifacts.Values.ToList();
            requires[key] = scan.Imports.Select(m => Module(m, all, layerSpecs)).OfType<string>().Where(k => k.Length > 0 && items.ContainsKey(k))
                .Select(k => Distribution.Normalize(items[k].Name)).Distinct().ToList();
        }
        return new PlanInput(problem, notes, holders.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal), currentLayers, requirement, requires);
    }

    private static string OwnKey(string layer) => new PlanItem(layer, "", 0, layer).Key;

    private static bool Splittable(BuiltArtifact? art, Dictionary<string, LayerSpec> specs) =>
        art is not null && (!art.IsLayer || (specs.TryGetValue(art.LogicalId, out var spec) && spec.Build == BuildKind.Pip));

    /// <summary>The item that provides a top-level module: null when none does, "" for the function's own code.</summary>
    private static string? Module(string module, List<BuiltArtifact> order, Dictionary<string, LayerSpec> specs)
    {
        foreach (var art in order)
        {
            if (!art.Modules.TryGetValue(module, out var dist)) continue;
            if (art.IsLayer && !Splittable(art, specs)) return OwnKey(art.LogicalId);
            if (dist is not null) return PlanItem.Dist(art.Distributions[dist].Name, art.Distributions[dist].Version, 0).Key;
            return art.IsLayer ? OwnKey(art.LogicalId) : "";
        }
        return null;
    }

    /// <summary>The item of a distribution by name, as the function would import it (its package first).</summary>
    private static string? DistributionKey(string name, List<BuiltArtifact> order, Dictionary<string, LayerSpec> specs)
    {
        var key = Distribution.Normalize(name);
        foreach (var art in order)
        {
            if (!art.Distributions.TryGetValue(key, out var d)) continue;
            return art.IsLayer && !Splittable(art, specs) ? OwnKey(art.LogicalId) : PlanItem.Dist(d.Name, d.Version, 0).Key;
        }
        return null;
    }

    private static IEnumerable<string> Held(BuiltArtifact art, Dictionary<string, PlanItem> items, Dictionary<string, LayerSpec> specs)
    {
        if (art.IsLayer && !Splittable(art, specs)) return [OwnKey(art.LogicalId)];
        var keys = art.Distributions.Values.Select(d => PlanItem.Dist(d.Name, d.Version, 0).Key).ToList();
        if (art.IsLayer && items.ContainsKey(OwnKey(art.LogicalId))) keys.Add(OwnKey(art.LogicalId));
        return keys;
    }

    /// <summary>The names a requirements file asks for directly (options, includes and URLs aside).</summary>
    private static IEnumerable<string> Requirements(string file)
    {
        if (!File.Exists(file)) yield break;
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0 || line.StartsWith('-') || line.Contains("://", StringComparison.Ordinal)) continue;
            if (RequirementName().Match(line) is { Success: true } m) yield return m.Value;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*")]
    private static partial Regex RequirementName();
}
