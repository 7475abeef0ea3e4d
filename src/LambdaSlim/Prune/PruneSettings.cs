using LambdaSlim.Project;

namespace LambdaSlim.Prune;

/// <summary>
/// How one resource is pruned, from its <c>Metadata: LambdaSlim:</c> (prune, keep, exclude, botocore-services, trace-keep),
/// falling back to the template's top-level <c>Metadata: LambdaSlim:</c>, then to safe pruning.
/// </summary>
/// <param name="TraceKeep">With prune: traced, globs of paths kept although no event touched them.</param>
public sealed record PruneSettings(PruneLevel Level, IReadOnlyList<Glob> Keep, IReadOnlyList<Glob> Exclude, IReadOnlyList<string> BotocoreServices, bool Strip,
    IReadOnlyList<Glob>? TraceKeep = null)
{
    public static readonly PruneSettings Default = new(PruneLevel.Safe, [], [], [], true);

    public static PruneSettings From(LambdaSlimSettings resource, LambdaSlimSettings defaults, string where)
    {
        string? Get(string key) => resource.GetString(key) ?? defaults.GetString(key);
        IReadOnlyList<string> GetList(string key) => resource.GetList(key) is { Count: > 0 } l ? l : defaults.GetList(key);
        var level = Get("prune") switch
        {
            null or "safe" => PruneLevel.Safe,
            "none" => PruneLevel.None,
            "aggressive" => PruneLevel.Aggressive,
            "traced" => PruneLevel.Traced,
            var other => throw LambdaSlimException.Config($"{where}: prune '{other}' is not a level", "use prune: none, safe, aggressive or traced"),
        };
        var strip = Get("strip") is not ("false" or "no");
        return new PruneSettings(level,
            GetList("keep").Select(g => new Glob(g)).ToList(),
            GetList("exclude").Select(g => new Glob(g)).ToList(),
            GetList("botocore-services").Select(s => s.Trim().ToLowerInvariant()).ToList(),
            strip && level != PruneLevel.None,
            GetList("trace-keep").Select(g => new Glob(g)).ToList());
    }
}
