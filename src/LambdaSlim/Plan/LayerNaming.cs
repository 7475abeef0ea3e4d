using System.Text;
using LambdaSlim.Project;

namespace LambdaSlim.Plan;

/// <summary>
/// Names the planned layers after the template's: a layer that keeps an existing layer's own files takes its name;
/// then each existing layer names the planned layer it shares the most bytes with (largest overlaps first, each name
/// once); the rest are named after their biggest distribution ("ScipyLayer"), unique among the template's resources.
/// </summary>
public static class LayerNaming
{
    public static LayerPlan Name(LayerPlan plan, PlanInput input, ProjectModel project)
    {
        var names = new string?[plan.Layers.Count];
        var existing = project.Layers.Where(l => l.Build == BuildKind.Pip).Select(l => l.LogicalId).ToHashSet(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Layers.Count; i++)
            if (plan.Layers[i].OwnFilesOf is { } owner) { names[i] = owner; taken.Add(owner); }

        var overlaps = new List<(int Layer, string Existing, long Bytes)>();
        for (var i = 0; i < plan.Layers.Count; i++)
            foreach (var id in existing)
            {
                var bytes = plan.Layers[i].Items.Where(item => input.Holders.TryGetValue(item.Key, out var h) && h.Contains(id)).Sum(item => item.Bytes);
                if (bytes > 0) overlaps.Add((i, id, bytes));
            }
        foreach (var (layer, id, _) in overlaps.OrderByDescending(o => o.Bytes).ThenBy(o => o.Existing, StringComparer.Ordinal))
            if (names[layer] is null && taken.Add(id)) names[layer] = id;

        var resources = project.Template.Root.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("Resources"), out var r)
            && r is YamlDotNet.RepresentationModel.YamlMappingNode map
            ? map.Children.Keys.Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal) : [];
        for (var i = 0; i < plan.Layers.Count; i++)
        {
            if (names[i] is not null) continue;
            var stem = Pascal(plan.Layers[i].Items[0].Name) + "Layer";
            var name = stem;
            for (var n = 2; resources.Contains(name) || !taken.Add(name); n++) name = stem + n;
            names[i] = name;
        }

        var rename = plan.Layers.Select((l, i) => (l.Name, New: names[i]!)).ToDictionary(p => p.Name, p => p.New, StringComparer.Ordinal);
        return plan with
        {
            Layers = plan.Layers.Select(l => l with { Name = rename[l.Name] }).ToList(),
            Functions = plan.Functions.Select(f => f with { Layers = f.Layers.Select(l => rename[l]).ToList() }).ToList(),
        };
    }

    /// <summary>"scikit-learn" → "ScikitLearn", "python_dateutil" → "PythonDateutil": letters and digits, as logical IDs must be.</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder();
        foreach (var part in name.Split(['-', '_', '.', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var clean = new string(part.Where(char.IsAsciiLetterOrDigit).ToArray());
            if (clean.Length > 0) sb.Append(char.ToUpperInvariant(clean[0])).Append(clean[1..]);
        }
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0])) sb.Insert(0, 'L');
        return sb.ToString();
    }
}
