using LambdaSlim.Project;

namespace LambdaSlim.Prune;

/// <summary>
/// Decides what pruning removes. Pure: files and rules in, decisions out, so every rule is unit-tested on paths.
/// Order of precedence: the user's keep globs, then exclude globs, then botocore-services, then the rule packs.
/// </summary>
public static class PrunePlanner
{
    public const string ExcludeRule = "exclude";
    public const string BotocoreServicesRule = "botocore-services";
    public const string TracedRule = "traced";

    public static PrunePlan Plan(IReadOnlyList<PruneCandidate> files, IReadOnlyList<PruneRule> rules, PruneSettings settings, string owner)
    {
        var packages = files.Where(f => f.Path.EndsWith("/__init__.py", StringComparison.Ordinal))
            .Select(f => f.Path[..^"/__init__.py".Length]).ToHashSet(StringComparer.Ordinal);
        // Traced pruning starts from the safe rules; the trace then removes what no event touched.
        var level = settings.Level == PruneLevel.Traced ? PruneLevel.Safe : settings.Level;
        var active = rules.Where(r => level != PruneLevel.None && r.Level <= level).ToList();
        var services = new HashSet<string>(settings.BotocoreServices, StringComparer.Ordinal);
        var warnings = new List<string>();
        var removed = new List<PruneDecision>();
        var keepHits = new int[settings.Keep.Count];
        var excludeHits = new int[settings.Exclude.Count];

        foreach (var file in files)
        {
            if (Matches(settings.Keep, file.Path, keepHits)) continue;
            if (Matches(settings.Exclude, file.Path, excludeHits)) { removed.Add(new(file.Path, ExcludeRule, file.Owner, file.Size)); continue; }
            if (!file.Installed) continue; // the user's own code is pruned only by their exclude globs
            if (services.Count > 0 && BotocoreService(file.Path) is { } service && !services.Contains(service))
            {
                removed.Add(new(file.Path, BotocoreServicesRule, file.Owner, file.Size));
                continue;
            }
            var rule = active.FirstOrDefault(r => r.Removes(file.Path, file.Owner, packages.Contains));
            if (rule is not null) removed.Add(new(file.Path, rule.Id, file.Owner, file.Size));
        }

        for (var i = 0; i < settings.Keep.Count; i++)
            if (keepHits[i] == 0) warnings.Add($"{owner}: keep glob '{settings.Keep[i].Pattern}' matches no file");
        for (var i = 0; i < settings.Exclude.Count; i++)
            if (excludeHits[i] == 0) warnings.Add($"{owner}: exclude glob '{settings.Exclude[i].Pattern}' matches no file");
        if (services.Count > 0)
        {
            var present = files.Select(f => BotocoreService(f.Path)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            if (present.Count > 0)
                foreach (var s in services.Where(s => !present.Contains(s)).Order(StringComparer.Ordinal))
                    warnings.Add($"{owner}: botocore-services lists '{s}', which botocore does not have (see botocore/data)");
        }
        return new PrunePlan(removed, warnings);
    }

    /// <summary>Applies an ordered glob list where the last match wins and '!' negates; counts hits per glob.</summary>
    private static bool Matches(IReadOnlyList<Glob> globs, string path, int[] hits)
    {
        var matched = false;
        for (var i = 0; i < globs.Count; i++)
        {
            if (!globs[i].IsMatch(path)) continue;
            hits[i]++;
            matched = !globs[i].Negated;
        }
        return matched;
    }

    /// <summary>"botocore/data/s3/2006-03-01/service-2.json.gz" → "s3"; botocore's own top-level data files → null.</summary>
    public static string? BotocoreService(string path)
    {
        foreach (var root in new[] { "botocore/data/", "boto3/data/" })
        {
            if (!path.StartsWith(root, StringComparison.Ordinal)) continue;
            var rest = path[root.Length..];
            var slash = rest.IndexOf('/');
            return slash > 0 ? rest[..slash] : null;
        }
        return null;
    }
}
