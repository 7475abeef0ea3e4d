using LambdaSlim.Model;
using LambdaSlim.Project;

namespace LambdaSlim.Plan;

/// <summary>What the plan changes from the template as it is, each with its reason, in the words a pull request would use.</summary>
public static class PlanChanges
{
    public static IReadOnlyList<string> Of(LayerPlan plan, PlanInput input, ProjectModel project)
    {
        var changes = new List<string>();
        var moves = new List<(string From, string To, string Why, PlanItem Item)>();
        var fnIds = plan.Functions.Select(f => f.LogicalId).ToList();
        foreach (var layer in plan.Layers)
        {
            var why = layer.UsedBy.Count == fnIds.Count ? "every function needs them"
                : $"{Names(layer.UsedBy)} need them";
            foreach (var item in layer.Items) moves.Add((From(item, input), layer.Name, why, item));
        }
        foreach (var f in plan.Functions)
            foreach (var item in f.InPackage) moves.Add((From(item, input), f.LogicalId, $"only {f.LogicalId} needs them", item));
        foreach (var item in plan.Unused)
            moves.Add((From(item, input), "", "no function imports them, nor does anything a function imports require them", item));

        foreach (var g in moves.Where(m => m.From != m.To).GroupBy(m => (m.From, m.To, m.Why)).OrderByDescending(g => g.Sum(m => m.Item.Bytes)))
        {
            var what = string.Join(", ", g.OrderByDescending(m => m.Item.Bytes).Select(m => m.Item.OwnFilesOf is null ? m.Item.Name : m.Item.Display));
            var bytes = Bytes.Format(g.Sum(m => m.Item.Bytes));
            var from = g.Key.From.Length == 0 ? "" : $" from {Where(g.Key.From, plan)}";
            changes.Add(g.Key.To.Length == 0
                ? $"{what} ({bytes}) left out{from}: {g.Key.Why}"
                : $"{what} ({bytes}) moved{from} to {Where(g.Key.To, plan)}: {g.Key.Why}");
        }

        var planned = plan.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        foreach (var f in plan.Functions)
        {
            var before = input.CurrentLayers.GetValueOrDefault(f.LogicalId) ?? [];
            var localBefore = before.Where(l => project.Layers.Any(p => p.LogicalId == l)).ToList();
            var dropped = localBefore.Except(f.Layers, StringComparer.Ordinal).ToList();
            var added = f.Layers.Except(localBefore, StringComparer.Ordinal).ToList();
            foreach (var d in dropped)
                changes.Add($"{f.LogicalId} stops loading {d}" + (planned.ContainsKey(d) ? $": it needs nothing in it ({Names(planned[d].Items.Take(3).Select(i => i.Name))}{(planned[d].Items.Count > 3 ? ", …" : "")})" : ": the plan has no such layer"));
            foreach (var a in added)
                changes.Add($"{f.LogicalId} loads {a}: it needs {Names(planned[a].Items.Where(i => input.Problem.Functions.First(p => p.LogicalId == f.LogicalId).Needs.Contains(i.Key)).Take(3).Select(i => i.Name))}");
        }
        foreach (var layer in project.Layers.Where(l => l.Build == BuildKind.Pip && !planned.ContainsKey(l.LogicalId)))
            changes.Add($"{layer.LogicalId} is no longer needed: its contents moved as above");
        foreach (var layer in plan.Layers.Where(l => project.Layers.All(p => p.LogicalId != l.Name)))
            changes.Add($"{layer.Name} is a new layer ({Bytes.Format(layer.Bytes)}) for {Names(layer.UsedBy)}");
        return changes;
    }

    private static string Where(string ids, LayerPlan plan) =>
        string.Join(" and ", ids.Split(" and ").Select(id => plan.Functions.Any(f => f.LogicalId == id) ? $"{id}'s package" : id));

    private static string From(PlanItem item, PlanInput input) =>
        input.Holders.TryGetValue(item.Key, out var holders) ? string.Join(" and ", holders) : "";

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 1 ? string.Join("", list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }
}
