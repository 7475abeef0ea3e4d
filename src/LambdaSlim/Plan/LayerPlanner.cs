namespace LambdaSlim.Plan;

/// <summary>
/// Chooses the layers. Objectives, in order: every function fits (at most 5 layers, 262,144,000 bytes unzipped with its
/// layers); fewer bytes stored (each item is stored once: in one layer, or in the package of the one function that
/// needs it); fewer bytes loaded that a function never imports; fewer layers.
///
/// Items are grouped by their usage signature, the exact set of functions that need them. A group one function needs
/// goes into that function's package (no waste, no layer). Every other group starts as its own layer, which loads no
/// function anything it does not need: when that fits, it is the optimum. When a function would need more than its
/// layers, groups must share layers, and every merge of groups A and B makes the functions of A's signature that are
/// not in B's load B's bytes, and the other way round. Merges never add a layer to any function and only add bytes, so
/// the search is monotone: up to <see cref="PlanLimits.ExactGroupLimit"/> groups a branch and bound over all
/// partitions finds the optimum; beyond, a greedy pass repeatedly merges the pair of layers that adds the fewest unneeded
/// bytes per function over its layer limit that the merge brings one layer closer, until every function fits. Its quality bound is computed per
/// plan: in any plan a function f with k_f shared groups and room for c_f layers loads at least the k_f - c_f smallest
/// of them through layers that hold something it does not need (a layer holds at most one group whose signature is the
/// layer's own), so the unneeded bytes of the optimum are at least the largest such sum over functions.
/// </summary>
public static class LayerPlanner
{
    public static LayerPlan Plan(PlanProblem problem)
    {
        var limits = problem.Limits;
        var functions = problem.Functions;
        var n = functions.Count;
        var items = new Dictionary<string, PlanItem>(StringComparer.Ordinal);
        foreach (var item in problem.Items) items.TryAdd(item.Key, item);

        var users = items.Keys.ToDictionary(k => k, _ => BitSet.New(n), StringComparer.Ordinal);
        for (var f = 0; f < n; f++)
            foreach (var key in functions[f].Needs)
                if (users.TryGetValue(key, out var s)) BitSet.Set(s, f);
                else throw new ArgumentException($"{functions[f].LogicalId} needs {key}, which is not an item of the problem");

        var unused = items.Values.Where(i => BitSet.Count(users[i.Key]) == 0).OrderByDescending(i => i.Bytes).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
        var conflictIds = items.Values.Select(i => i.ConflictKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);

        // Functions that need another version of an item must not load a layer that holds it.
        var byConflict = items.Values.Where(i => i.OwnFilesOf is null).GroupBy(i => i.ConflictKey).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var groups = new List<Group>();
        var bySignature = new Dictionary<string, List<Group>>(StringComparer.Ordinal);
        foreach (var item in items.Values.Where(i => BitSet.Count(users[i.Key]) > 0).OrderByDescending(i => i.Bytes).ThenBy(i => i.Key, StringComparer.Ordinal))
        {
            var sig = users[item.Key];
            var key = BitSet.Key(sig);
            if (!bySignature.TryGetValue(key, out var list)) bySignature[key] = list = [];
            var group = item.OwnFilesOf is null ? list.FirstOrDefault(g => !g.OwnFiles && !BitSet.Has(g.Keys, conflictIds[item.ConflictKey])) : null;
            if (group is null)
            {
                group = new Group(sig, BitSet.New(n), BitSet.New(conflictIds.Count), item.OwnFilesOf is not null);
                list.Add(group);
                groups.Add(group);
            }
            group.Items.Add(item);
            group.Bytes += item.Bytes;
            BitSet.Set(group.Keys, conflictIds[item.ConflictKey]);
            if (item.OwnFilesOf is null)
                foreach (var other in byConflict[item.ConflictKey].Where(o => o.Key != item.Key))
                    for (var w = 0; w < group.Forbid.Length; w++) group.Forbid[w] |= users[other.Key][w];
        }

        var inline = groups.Where(g => !g.OwnFiles && BitSet.Count(g.Signature) == 1).ToList();
        var shared = groups.Except(inline).OrderByDescending(g => g.Bytes).ThenBy(g => g.Items[0].Key, StringComparer.Ordinal).ToList();
        var state = new FunctionState(functions, limits, inline, shared);

        var failures = state.SizeFailures(items);
        var method = PlanMethod.Greedy;
        var blocks = Greedy(shared, state, out var greedyFailure);
        if (failures.Count == 0 && shared.Count <= limits.ExactGroupLimit)
        {
            var fits = greedyFailure is null;
            var exact = new ExactSearch(shared, state, limits.ExactNodeBudget, fits ? Waste(blocks) : long.MaxValue, fits ? blocks.Count : int.MaxValue);
            exact.Run();
            if (exact.Best is { } best) (blocks, greedyFailure) = (best, null);
            if (!exact.Aborted) method = PlanMethod.Exact;
        }
        if (greedyFailure is not null) failures.Add(greedyFailure);

        return Build(problem, functions, limits, inline, blocks, unused, failures, method, shared.Count, state.LowerBound(shared));
    }

    private static long Waste(IEnumerable<Block> blocks) => blocks.Sum(b => b.Waste);

    /// <summary>Each shared group its own layer, then merges for the function furthest over its layers until all fit.</summary>
    private static List<Block> Greedy(List<Group> shared, FunctionState state, out PlanFailure? failure)
    {
        failure = null;
        var blocks = shared.Select(g => Block.Of(g)).ToList();
        var counts = state.Counts(blocks);
        var loaded = state.Loaded(blocks);
        while (true)
        {
            var over = BitSet.New(counts.Length);
            var worst = -1;
            for (var f = 0; f < counts.Length; f++)
            {
                if (counts[f] <= state.Cap[f]) continue;
                BitSet.Set(over, f);
                if (worst < 0 || counts[f] - state.Cap[f] > counts[worst] - state.Cap[worst]) worst = f;
            }
            if (worst < 0) return blocks;

            // The merge with the fewest unneeded bytes per function over its limit that it brings one layer closer.
            (Block A, Block B, double Score, long Delta)? pick = null;
            var seen = new HashSet<(Block, Block)>();
            foreach (var f in BitSet.Members(over))
            {
                var mine = blocks.Where(b => BitSet.Has(b.Signature, f)).ToList();
                for (var i = 0; i < mine.Count; i++)
                    for (var j = i + 1; j < mine.Count; j++)
                    {
                        var (a, b) = (mine[i], mine[j]);
                        if (!seen.Add((a, b)) || !Compatible(a, b) || !state.FitsAfterMerge(a, b, loaded)) continue;
                        var delta = a.Bytes * BitSet.CountAndNot(b.Signature, a.Signature) + b.Bytes * BitSet.CountAndNot(a.Signature, b.Signature);
                        var helped = BitSet.Members(a.Signature).Count(g => BitSet.Has(b.Signature, g) && BitSet.Has(over, g));
                        var score = (double)delta / helped;
                        if (pick is null || score < pick.Value.Score || (score == pick.Value.Score && delta < pick.Value.Delta)) pick = (a, b, score, delta);
                    }
            }
            if (pick is null)
            {
                failure = state.LayerFailure(worst, counts[worst], blocks.Where(b => BitSet.Has(b.Signature, worst)).ToList());
                return blocks;
            }
            var (x, y, _, _) = pick.Value;
            foreach (var f in BitSet.Members(x.Signature, y.Signature)) loaded[f] += y.Bytes;
            foreach (var f in BitSet.Members(y.Signature, x.Signature)) loaded[f] += x.Bytes;
            foreach (var f in BitSet.Members(x.Signature)) if (BitSet.Has(y.Signature, f)) counts[f]--;
            blocks.Remove(y);
            blocks[blocks.IndexOf(x)] = x.With(y);
        }
    }

    internal static bool Compatible(Block a, Block b) =>
        !BitSet.Intersects(a.Keys, b.Keys)
        && !BitSet.Intersects(BitSet.Or(a.Signature, b.Signature), BitSet.Or(a.Forbid, b.Forbid));

    private static LayerPlan Build(
        PlanProblem problem, IReadOnlyList<PlanFunction> functions, PlanLimits limits, List<Group> inline, List<Block> blocks,
        List<PlanItem> unused, List<PlanFailure> failures, PlanMethod method, int groupCount, long lowerBound)
    {
        // Layers load in one global order: the most widely shared first, then the biggest.
        var ordered = blocks.OrderByDescending(b => BitSet.Count(b.Signature)).ThenByDescending(b => b.Bytes).ToList();
        var layers = ordered.Select((b, i) =>
        {
            var est = (long)(b.Bytes * limits.ZipRatio);
            return new PlannedLayer($"Layer{i + 1}", b.Groups.SelectMany(g => g.Items).OrderByDescending(x => x.Bytes).ThenBy(x => x.Key, StringComparer.Ordinal).ToList(),
                b.Bytes, est, est > limits.MaxDirectZipBytes, BitSet.Members(b.Signature).Select(f => functions[f].LogicalId).ToList());
        }).ToList();
        var itemBytes = problem.Items.GroupBy(i => i.Key).ToDictionary(g => g.Key, g => g.First().Bytes, StringComparer.Ordinal);
        var planned = new List<PlannedFunction>();
        for (var f = 0; f < functions.Count; f++)
        {
            var fn = functions[f];
            var mine = ordered.Select((b, i) => (b, i)).Where(p => BitSet.Has(p.b.Signature, f)).ToList();
            var package = inline.Where(g => BitSet.Has(g.Signature, f)).SelectMany(g => g.Items).OrderByDescending(x => x.Bytes).ThenBy(x => x.Key, StringComparer.Ordinal).ToList();
            var fixedBytes = fn.Fixed.Sum(l => l.Bytes ?? 0);
            var packageBytes = fn.OwnBytes + package.Sum(i => i.Bytes);
            var loaded = packageBytes + fixedBytes + mine.Sum(p => p.b.Bytes);
            var needed = fn.OwnBytes + fixedBytes + fn.Needs.Distinct(StringComparer.Ordinal).Sum(k => itemBytes[k]);
            var zip = (long)(packageBytes * limits.ZipRatio);
            planned.Add(new PlannedFunction(fn.LogicalId, mine.Select(p => layers[p.i].Name).ToList(), fn.Fixed, package,
                fn.OwnBytes, loaded, needed, zip, zip > limits.MaxDirectZipBytes));
        }
        var stored = blocks.Sum(b => b.Bytes) + inline.Sum(g => g.Bytes);
        var extra = Waste(blocks);
        return new LayerPlan(layers, planned, unused, failures, method, groupCount, extra, method == PlanMethod.Exact ? extra : Math.Min(lowerBound, extra), stored);
    }

    /// <summary>Items with one usage signature (and, for a layer's own files, one layer).</summary>
    internal sealed class Group(ulong[] signature, ulong[] forbid, ulong[] keys, bool ownFiles)
    {
        public ulong[] Signature { get; } = signature;
        public ulong[] Forbid { get; } = forbid;
        public ulong[] Keys { get; } = keys;
        public bool OwnFiles { get; } = ownFiles;
        public List<PlanItem> Items { get; } = [];
        public long Bytes { get; set; }
    }

    /// <summary>Groups that share one layer. Waste: bytes loaded by functions of the layer that do not need them.</summary>
    internal sealed record Block(IReadOnlyList<Group> Groups, ulong[] Signature, ulong[] Forbid, ulong[] Keys, long Bytes, long NeededLoads)
    {
        public long Waste => Bytes * BitSet.Count(Signature) - NeededLoads;

        public static Block Of(Group g) => new([g], g.Signature, g.Forbid, g.Keys, g.Bytes, g.Bytes * BitSet.Count(g.Signature));

        public Block With(Block other) => new([.. Groups, .. other.Groups], BitSet.Or(Signature, other.Signature), BitSet.Or(Forbid, other.Forbid),
            BitSet.Or(Keys, other.Keys), Bytes + other.Bytes, NeededLoads + other.NeededLoads);
    }

    /// <summary>Per function: how many planned layers it may load, and the bytes it loads besides them.</summary>
    internal sealed class FunctionState
    {
        private readonly IReadOnlyList<PlanFunction> functions;
        private readonly PlanLimits limits;
        private readonly List<Group> shared;

        public FunctionState(IReadOnlyList<PlanFunction> functions, PlanLimits limits, List<Group> inline, List<Group> shared)
        {
            this.functions = functions;
            this.limits = limits;
            this.shared = shared;
            Cap = functions.Select(f => limits.MaxLayers - f.Fixed.Count).ToArray();
            Base = new long[functions.Count];
            for (var f = 0; f < functions.Count; f++)
                Base[f] = functions[f].OwnBytes + functions[f].Fixed.Sum(l => l.Bytes ?? 0) + inline.Where(g => BitSet.Has(g.Signature, f)).Sum(g => g.Bytes);
        }

        public int[] Cap { get; }
        public long[] Base { get; }
        public long Limit => limits.MaxUnzippedBytes;

        public int[] Counts(IEnumerable<Block> blocks)
        {
            var counts = new int[functions.Count];
            foreach (var b in blocks) foreach (var f in BitSet.Members(b.Signature)) counts[f]++;
            return counts;
        }

        public long[] Loaded(IEnumerable<Block> blocks)
        {
            var loaded = (long[])Base.Clone();
            foreach (var b in blocks) foreach (var f in BitSet.Members(b.Signature)) loaded[f] += b.Bytes;
            return loaded;
        }

        public bool FitsAfterMerge(Block a, Block b, long[] loaded)
        {
            foreach (var f in BitSet.Members(a.Signature, b.Signature)) if (loaded[f] + b.Bytes > Limit) return false;
            foreach (var f in BitSet.Members(b.Signature, a.Signature)) if (loaded[f] + a.Bytes > Limit) return false;
            return true;
        }

        /// <summary>Functions over the size limit even when they load only what they need: no plan makes them fit.</summary>
        public List<PlanFailure> SizeFailures(IReadOnlyDictionary<string, PlanItem> items)
        {
            var loaded = Loaded(shared.Select(Block.Of));
            var failures = new List<PlanFailure>();
            for (var f = 0; f < functions.Count; f++)
            {
                if (loaded[f] > Limit)
                    failures.Add(new PlanFailure(functions[f].LogicalId,
                        $"needs {Model.Bytes.Exact(loaded[f])} unzipped with only what it imports, over the {Model.Bytes.Exact(Limit)} limit", loaded[f] - Limit, Contributors(f, items)));
                else if (Cap[f] < 0 || (Cap[f] == 0 && shared.Any(g => BitSet.Has(g.Signature, f))))
                    failures.Add(new PlanFailure(functions[f].LogicalId,
                        $"has {functions[f].Fixed.Count} layers given by ARN, which leaves no room for the layer it shares with other functions", Math.Max(1, -Cap[f]), Contributors(f, items)));
            }
            return failures;
        }

        public PlanFailure LayerFailure(int f, int count, IReadOnlyList<Block> mine)
        {
            var items = mine.SelectMany(b => b.Groups).SelectMany(g => g.Items).ToDictionary(i => i.Key, i => i, StringComparer.Ordinal);
            return new PlanFailure(functions[f].LogicalId,
                $"needs {count} layers of shared code ({functions[f].Fixed.Count} more given by ARN), over the limit of {limits.MaxLayers}, and none of them can share a layer: different versions of one distribution, a layer's own files, or the size limit keep them apart",
                count - Cap[f], Contributors(f, items));
        }

        private List<PlanContributor> Contributors(int f, IReadOnlyDictionary<string, PlanItem> items) =>
            functions[f].Needs.Distinct(StringComparer.Ordinal).Where(items.ContainsKey).Select(k => items[k])
                .Select(i => new PlanContributor(i.Display, i.Bytes))
                .Concat(functions[f].Fixed.Where(l => l.Bytes is not null).Select(l => new PlanContributor(l.Display, l.Bytes!.Value)))
                .Append(new PlanContributor("its own code", functions[f].OwnBytes))
                .OrderByDescending(c => c.Bytes).Take(3).ToList();

        /// <summary>No plan loads fewer unneeded bytes than this (see the class summary).</summary>
        public long LowerBound(List<Group> groups)
        {
            long bound = 0;
            for (var f = 0; f < functions.Count; f++)
            {
                var mine = groups.Where(g => BitSet.Has(g.Signature, f)).Select(g => g.Bytes).Order().ToList();
                var cap = Math.Max(Cap[f], 1);
                if (mine.Count > cap) bound = Math.Max(bound, mine.Take(mine.Count - cap).Sum());
            }
            return bound;
        }
    }

    /// <summary>Branch and bound over every partition of the shared groups into layers, the groups largest first.</summary>
    private sealed class ExactSearch(List<Group> groups, FunctionState state, long budget, long bestWaste, int bestLayers)
    {
        private readonly List<Block> blocks = [];
        private readonly int[] counts = new int[state.Cap.Length];
        private readonly long[] loaded = (long[])state.Base.Clone();
        private long nodes;
        private long bestWaste = bestWaste;
        private int bestLayers = bestLayers;

        public List<Block>? Best { get; private set; }
        public bool Aborted { get; private set; }

        public void Run() => Search(0, 0);

        private void Search(int i, long waste)
        {
            if (++nodes > budget) { Aborted = true; return; }
            // Merges only add unneeded bytes and layers are only added: a branch no better than the best plan so far ends here.
            if (waste > bestWaste || (waste == bestWaste && blocks.Count >= bestLayers)) return;
            if (i == groups.Count)
            {
                (bestWaste, bestLayers, Best) = (waste, blocks.Count, [.. blocks]);
                return;
            }
            var g = Block.Of(groups[i]);
            // A layer of its own adds no unneeded bytes: try it first.
            if (TryApply(null, g))
            {
                blocks.Add(g);
                Search(i + 1, waste);
                blocks.RemoveAt(blocks.Count - 1);
                Undo(null, g);
            }
            for (var b = 0; b < blocks.Count && !Aborted; b++)
            {
                var into = blocks[b];
                if (!Compatible(into, g) || !TryApply(into, g)) continue;
                var merged = into.With(g);
                blocks[b] = merged;
                Search(i + 1, waste - into.Waste + merged.Waste);
                blocks[b] = into;
                Undo(into, g);
            }
        }

        /// <summary>Adds group g to block (or to a new layer when null), unless a function would go over a limit.</summary>
        private bool TryApply(Block? block, Block g)
        {
            var empty = new ulong[g.Signature.Length];
            var into = block?.Signature ?? empty;
            foreach (var f in BitSet.Members(g.Signature, into))
                if (counts[f] + 1 > state.Cap[f] || loaded[f] + g.Bytes + (block?.Bytes ?? 0) > state.Limit) return false;
            foreach (var f in BitSet.Members(into))
                if (loaded[f] + g.Bytes > state.Limit) return false;
            foreach (var f in BitSet.Members(g.Signature, into)) { counts[f]++; loaded[f] += g.Bytes + (block?.Bytes ?? 0); }
            foreach (var f in BitSet.Members(into)) loaded[f] += g.Bytes;
            return true;
        }

        private void Undo(Block? block, Block g)
        {
            var into = block?.Signature ?? new ulong[g.Signature.Length];
            foreach (var f in BitSet.Members(g.Signature, into)) { counts[f]--; loaded[f] -= g.Bytes + (block?.Bytes ?? 0); }
            foreach (var f in BitSet.Members(into)) loaded[f] -= g.Bytes;
        }
    }
}
