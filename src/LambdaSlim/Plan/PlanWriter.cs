using System.Text;
using System.Text.RegularExpressions;
using LambdaSlim.IO;
using LambdaSlim.Model;
using LambdaSlim.Project;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Plan;

/// <summary>
/// `plan --write`: applies a plan to the user's template and requirements files. The template is edited as text, at
/// the places the YAML parser marks (a function's Layers list, a layer's assumes-layers, a new layer resource, a
/// removed one), so every comment, tag and line the plan does not concern stays as it was. Each file is written
/// atomically after the old ones are copied to .lambdaslim/plan-backup/&lt;time&gt;/.
/// </summary>
public static partial class PlanWriter
{
    public static async Task<IReadOnlyList<string>> WriteAsync(PlanReport report, CancellationToken cancellationToken = default)
    {
        var project = report.Project;
        var plan = report.Plan;
        var templatePath = Path.GetFullPath(project.Template.Path);
        var text = await File.ReadAllTextAsync(templatePath, cancellationToken).ConfigureAwait(false);
        if (SamTemplate.Child(SamTemplate.Child(project.Template.Root, "Globals"), "Function") is YamlMappingNode globals && SamTemplate.Child(globals, "Layers") is not null)
            throw LambdaSlimException.Input($"{templatePath}: plan --write does not edit Globals.Function.Layers",
                "list Layers on each function instead of in Globals, then run 'lambdaslim plan --write' again");

        var said = new List<string>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal); // path → new content
        var templateDir = Path.GetDirectoryName(templatePath)!;
        var layerSpecs = project.Layers.ToDictionary(l => l.LogicalId, StringComparer.Ordinal);
        var planned = plan.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);

        // Pass 1: functions' Layers, layers' assumes-layers and requirements, new layers.
        var root = Parse(text);
        var resources = (YamlMappingNode)SamTemplate.Child(root, "Resources")!;
        var edits = new List<Edit>();
        foreach (var f in plan.Functions)
            if (Resource(resources, f.LogicalId) is { } resource) edits.AddRange(FunctionLayers(text, resource, f, layerSpecs));

        var newLayers = new StringBuilder();
        var (resourceIndent, step) = Indents(text, resources);
        foreach (var layer in plan.Layers)
        {
            var assumes = Assumes(layer, plan, report.Input);
            // A layer that keeps exactly what it holds now keeps its requirements file as the user wrote it.
            var holdsNow = report.Input.Holders.Where(h => h.Value.Contains(layer.Name)).Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
            var requirements = holdsNow.SetEquals(layer.Items.Select(i => i.Key)) ? null : RequirementsText(layer, report.Input);
            if (layerSpecs.TryGetValue(layer.Name, out var spec))
            {
                if (requirements is not null) files[spec.RequirementsFile] = requirements;
                if (!assumes.SequenceEqual(spec.AssumesLayers, StringComparer.Ordinal))
                    edits.AddRange(AssumesEdit(text, Resource(resources, layer.Name)!, assumes, step));
                continue;
            }
            var folder = NewFolder(templateDir, layer.Name, files.Keys);
            files[Path.Combine(folder, "requirements.txt")] = requirements ?? "";
            var users = project.Functions.Where(f => layer.UsedBy.Contains(f.LogicalId)).ToList();
            newLayers.Append(NewLayerText(layer, users, Path.GetRelativePath(templateDir, folder).Replace('\\', '/') + "/", assumes, resourceIndent, step));
            said.Add($"new layer {layer.Name} in {Path.GetRelativePath(templateDir, folder)}/");
        }
        if (newLayers.Length > 0)
        {
            var lastLayer = resources.Children.LastOrDefault(c => c.Value is YamlMappingNode m && ProjectLoader.IsLayerType(SamTemplate.Scalar(SamTemplate.Child(m, "Type"))));
            var at = lastLayer.Value is not null ? LineEnd(text, ValueEnd(lastLayer.Value)) : LineStart(text, (int)resources.Children.First().Key.Start.Index);
            edits.Add(new Edit(at, at, (lastLayer.Value is not null ? "\n" : "") + newLayers));
        }

        // Functions' packages: what only they need, pinned as built, added to their requirements.
        foreach (var f in plan.Functions)
        {
            var spec = project.Functions.First(s => s.LogicalId == f.LogicalId);
            var existing = File.Exists(spec.RequirementsFile) ? await File.ReadAllTextAsync(spec.RequirementsFile, cancellationToken).ConfigureAwait(false) : "";
            var named = RequirementNames(existing);
            // Only what nothing else in the package requires: pip brings the rest.
            var required = f.InPackage.SelectMany(i => report.Input.Requires.GetValueOrDefault(i.Key) ?? []).ToHashSet(StringComparer.Ordinal);
            var add = f.InPackage.Where(i => i.OwnFilesOf is null && !named.Contains(Distribution.Normalize(i.Name)) && !required.Contains(Distribution.Normalize(i.Name))
                    && report.Input.Requirements.ContainsKey(i.Key))
                .Select(i => report.Input.Requirements[i.Key]).ToList();
            if (add.Count == 0) continue;
            var sb = new StringBuilder(existing);
            if (sb.Length > 0 && sb[^1] != '\n') sb.Append('\n');
            sb.Append($"# added by lambdaslim plan: only {f.LogicalId} needs these, pinned to the versions of the last build\n");
            foreach (var line in add) sb.Append(line).Append('\n');
            files[spec.RequirementsFile] = sb.ToString();
        }

        text = Apply(text, edits);

        // Pass 2: layers the plan no longer has are removed, unless something else in the template refers to them.
        root = Parse(text);
        resources = (YamlMappingNode)SamTemplate.Child(root, "Resources")!;
        var removals = new List<Edit>();
        foreach (var layer in project.Layers.Where(l => l.Build == BuildKind.Pip && !planned.ContainsKey(l.LogicalId)))
        {
            var key = resources.Children.Keys.First(k => k.ToString() == layer.LogicalId);
            var start = LineStart(text, (int)key.Start.Index);
            var end = LineEnd(text, ValueEnd(resources.Children[key]));
            var elsewhere = text[..start] + text[end..];
            if (Regex.IsMatch(elsewhere, $@"(?<![A-Za-z0-9]){layer.LogicalId}(?![A-Za-z0-9])"))
            {
                said.Add($"{layer.LogicalId} is no longer used by any function, but the template still refers to it (Outputs, say), so it is kept: remove it and those references when you are ready");
                continue;
            }
            removals.Add(new Edit(start, end, ""));
            said.Add($"removed {layer.LogicalId} (its folder {Path.GetRelativePath(templateDir, layer.ContentDir)} is left as it is)");
        }
        text = Apply(text, removals);
        Parse(text); // the edit must leave valid YAML; a bug here must not reach the user's file
        files[templatePath] = text;

        var paths = new BuildPaths(project.ProjectDir);
        var backup = Path.Combine(paths.Root, "plan-backup", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        using (WriteBoundary.Allow([paths.Root, .. files.Keys.Select(p => Path.GetDirectoryName(p)!).Distinct()]))
        {
            foreach (var path in files.Keys.Where(File.Exists))
            {
                var copy = Path.Combine(backup, Path.GetRelativePath(templateDir, path));
                WriteBoundary.CreateDirectory(Path.GetDirectoryName(copy)!);
                await AtomicFile.WriteAllTextAsync(copy, await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            foreach (var (path, content) in files.OrderBy(p => p.Key == templatePath ? 1 : 0))
            {
                WriteBoundary.CreateDirectory(Path.GetDirectoryName(path)!);
                await AtomicFile.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
            }
        }
        said.Insert(0, $"wrote {Path.GetRelativePath(templateDir, templatePath)} and {files.Count - 1} requirements file{(files.Count == 2 ? "" : "s")}; the old ones are in {Path.GetRelativePath(templateDir, backup)}/");
        said.Add("next: lambdaslim build, then lambdaslim size check");
        return said;
    }

    private sealed record Edit(int Start, int End, string Text);

    private static string Apply(string text, IEnumerable<Edit> edits)
    {
        var sb = new StringBuilder(text);
        foreach (var e in edits.OrderByDescending(e => e.Start).ThenByDescending(e => e.End))
            sb.Remove(e.Start, e.End - e.Start).Insert(e.Start, e.Text);
        return sb.ToString();
    }

    private static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode? Resource(YamlMappingNode resources, string id) => SamTemplate.Child(resources, id) as YamlMappingNode;

    /// <summary>The function's Layers list: the planned layers first, then the layers given by ARN as written.</summary>
    private static IEnumerable<Edit> FunctionLayers(string text, YamlMappingNode resource, PlannedFunction f, Dictionary<string, LayerSpec> layers)
    {
        if (SamTemplate.Child(resource, "Properties") is not YamlMappingNode props) yield break;
        var key = props.Children.Keys.FirstOrDefault(k => k.ToString() == "Layers");
        var node = key is null ? null : props.Children[key];
        var kept = node is YamlSequenceNode seq
            ? seq.Children.Where(c => SamTemplate.RefTarget(c) is not { } target || !layers.ContainsKey(target)).Select(c => text[(int)c.Start.Index..(int)c.End.Index]).ToList()
            : [];
        var entries = f.Layers.Select(l => $"!Ref {l}").Concat(kept).ToList();
        if (node is YamlSequenceNode { Children.Count: > 0 } list)
        {
            var current = list.Children.Select(c => text[(int)c.Start.Index..(int)c.End.Index]).ToList();
            if (current.SequenceEqual(entries, StringComparer.Ordinal)) yield break;
            if (entries.Count == 0)
                yield return new Edit(LineStart(text, (int)key!.Start.Index), LineEnd(text, ValueEnd(list)), "");
            else if (list.Style == YamlDotNet.Core.Events.SequenceStyle.Flow)
                yield return new Edit((int)list.Start.Index, (int)list.End.Index, $"[{string.Join(", ", entries)}]");
            else
            {
                var first = LineStart(text, (int)list.Children[0].Start.Index);
                var dash = text.IndexOf('-', first) - first;
                yield return new Edit(first, LineEnd(text, ValueEnd(list)), string.Concat(entries.Select(e => $"{new string(' ', dash)}- {e}\n")));
            }
        }
        else if (entries.Count > 0)
        {
            if (node is not null)
                yield return new Edit((int)node.Start.Index, (int)node.End.Index, $"[{string.Join(", ", entries)}]");
            else if (props.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
            {
                var close = text.IndexOf('}', props.Children.Count > 0 ? (int)props.Children.Last().Value.End.Index : (int)props.Start.Index);
                yield return new Edit(close, close, $"{(props.Children.Count > 0 ? ", " : "")}Layers: [{string.Join(", ", entries)}]");
            }
            else
            {
                var firstKey = props.Children.Keys.First();
                var at = LineStart(text, (int)firstKey.Start.Index);
                var indent = new string(' ', (int)firstKey.Start.Index - at);
                yield return new Edit(at, at, $"{indent}Layers:\n{string.Concat(entries.Select(e => $"{indent}  - {e}\n"))}");
            }
        }
    }

    /// <summary>The planned layers that hold what this layer's distributions require, so the build leaves them out of it.</summary>
    private static List<string> Assumes(PlannedLayer layer, LayerPlan plan, PlanInput input)
    {
        var mine = layer.Items.Select(i => Distribution.Normalize(i.Name)).ToHashSet(StringComparer.Ordinal);
        var needed = layer.Items.SelectMany(i => input.Requires.GetValueOrDefault(i.Key) ?? []).Where(n => !mine.Contains(n)).ToHashSet(StringComparer.Ordinal);
        return plan.Layers.Where(l => l.Name != layer.Name && l.Items.Any(i => needed.Contains(Distribution.Normalize(i.Name)))).Select(l => l.Name).ToList();
    }

    private static string? RequirementsText(PlannedLayer layer, PlanInput input)
    {
        var pins = layer.Items.Where(i => i.OwnFilesOf is null && input.Requirements.ContainsKey(i.Key)).Select(i => input.Requirements[i.Key]).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var sb = new StringBuilder();
        sb.Append($"# Planned by lambdaslim plan: {(layer.UsedBy.Count == 1 ? layer.UsedBy[0] + " needs" : string.Join(", ", layer.UsedBy) + " all need")} these.\n");
        sb.Append("# Pinned to the versions of the last build; run 'lambdaslim plan' again when the functions' imports change.\n");
        foreach (var p in pins) sb.Append(p).Append('\n');
        return sb.ToString();
    }

    private static IEnumerable<Edit> AssumesEdit(string text, YamlMappingNode resource, List<string> assumes, int step)
    {
        var flow = $"[{string.Join(", ", assumes)}]";
        var metadata = SamTemplate.Child(resource, "Metadata") as YamlMappingNode;
        var settings = SamTemplate.Child(metadata, "LambdaSlim") as YamlMappingNode;
        var key = settings?.Children.Keys.FirstOrDefault(k => k.ToString() == "assumes-layers");
        if (key is not null)
        {
            yield return new Edit((int)key.End.Index, LineEnd(text, ValueEnd(settings!.Children[key])) - 1, $": {flow}");
            yield break;
        }
        if (assumes.Count == 0) yield break;
        var (map, lines) = settings is not null && settings.Children.Count > 0 && settings.Style != YamlDotNet.Core.Events.MappingStyle.Flow
            ? (settings, new[] { $"assumes-layers: {flow}" })
            : metadata is not null && metadata.Children.Count > 0 && metadata.Style != YamlDotNet.Core.Events.MappingStyle.Flow && settings is null
                ? (metadata, new[] { "LambdaSlim:", $"{new string(' ', step)}assumes-layers: {flow}" })
                : (metadata is null ? resource : null, new[] { "Metadata:", $"{new string(' ', step)}LambdaSlim:", $"{new string(' ', 2 * step)}assumes-layers: {flow}" });
        if (map is null)
            throw LambdaSlimException.Input("plan --write cannot add assumes-layers to a layer whose Metadata is written in flow style ({...})",
                "write that layer's Metadata as a block mapping, then run 'lambdaslim plan --write' again");
        var firstKey = map.Children.Keys.First();
        var at = LineStart(text, (int)firstKey.Start.Index);
        var indent = new string(' ', (int)firstKey.Start.Index - at);
        yield return new Edit(at, at, string.Concat(lines.Select(l => $"{indent}{l}\n")));
    }

    private static string NewLayerText(PlannedLayer layer, IReadOnlyList<FunctionSpec> users, string contentUri, List<string> assumes, int indent, int step)
    {
        var runtime = users.FirstOrDefault()?.Runtime.Name ?? "python3.12";
        var arch = users.FirstOrDefault()?.Architecture.ToLambdaName() ?? "x86_64";
        string I(int depth) => new(' ', indent + depth * step);
        var what = string.Join(", ", layer.Items.Take(4).Select(i => i.Name)) + (layer.Items.Count > 4 ? ", …" : "");
        var sb = new StringBuilder();
        sb.Append($"{I(0)}{layer.Name}:\n");
        sb.Append($"{I(1)}Type: AWS::Serverless::LayerVersion\n");
        sb.Append($"{I(1)}Properties:\n");
        sb.Append($"{I(2)}Description: {what} (planned by lambdaslim plan for {string.Join(", ", layer.UsedBy)})\n");
        sb.Append($"{I(2)}ContentUri: {contentUri}\n");
        sb.Append($"{I(2)}CompatibleRuntimes:\n{I(3)}- {runtime}\n");
        sb.Append($"{I(2)}CompatibleArchitectures:\n{I(3)}- {arch}\n");
        sb.Append($"{I(1)}Metadata:\n");
        sb.Append($"{I(2)}BuildMethod: {runtime}\n");
        sb.Append($"{I(2)}BuildArchitecture: {arch}\n");
        if (assumes.Count > 0) sb.Append($"{I(2)}LambdaSlim:\n{I(3)}assumes-layers: [{string.Join(", ", assumes)}]\n");
        return sb.ToString();
    }

    private static string NewFolder(string templateDir, string layerName, IEnumerable<string> taken)
    {
        var stem = Regex.Replace(layerName.EndsWith("Layer", StringComparison.Ordinal) && layerName.Length > 5 ? layerName[..^5] : layerName, "(?<=[a-z0-9])([A-Z])", "-$1").ToLowerInvariant();
        var folder = Path.Combine(templateDir, "layers", stem);
        for (var n = 2; Directory.Exists(folder) || taken.Any(t => t.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)); n++)
            folder = Path.Combine(templateDir, "layers", $"{stem}-{n}");
        return folder;
    }

    private static (int Indent, int Step) Indents(string text, YamlMappingNode resources)
    {
        var first = resources.Children.First();
        var indent = (int)first.Key.Start.Index - LineStart(text, (int)first.Key.Start.Index);
        var step = first.Value is YamlMappingNode { Style: not YamlDotNet.Core.Events.MappingStyle.Flow, Children.Count: > 0 } m
            ? (int)m.Children.First().Key.Start.Index - LineStart(text, (int)m.Children.First().Key.Start.Index) - indent
            : 2;
        return (indent, step > 0 ? step : 2);
    }

    /// <summary>Where a node's last scalar ends (a block collection's own end mark lies past the comments after it).</summary>
    private static int ValueEnd(YamlNode node) => node switch
    {
        YamlMappingNode { Style: not YamlDotNet.Core.Events.MappingStyle.Flow, Children.Count: > 0 } m => ValueEnd(m.Children.Last().Value),
        YamlSequenceNode { Style: not YamlDotNet.Core.Events.SequenceStyle.Flow, Children.Count: > 0 } s => ValueEnd(s.Children.Last()),
        _ => (int)node.End.Index,
    };

    private static int LineStart(string text, int index) => index <= 0 ? 0 : text.LastIndexOf('\n', Math.Min(index, text.Length) - 1) + 1;

    private static int LineEnd(string text, int index)
    {
        var nl = text.IndexOf('\n', Math.Min(index, text.Length));
        return nl < 0 ? text.Length : nl + 1;
    }

    private static HashSet<string> RequirementNames(string requirements) =>
        requirements.Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0 && !l.StartsWith('-'))
            .Select(l => RequirementName().Match(l)).Where(m => m.Success).Select(m => Distribution.Normalize(m.Value)).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*")]
    private static partial Regex RequirementName();
}
