using System.Text.RegularExpressions;
using LambdaSlim.IO;
using LambdaSlim.Runtimes;
using LambdaSlim.Model;

namespace LambdaSlim.Verify;

/// <summary>
/// Shows pruning safe by running Python: imports every top-level module of every distribution (and the handler) in a
/// Lambda-like layout of the pruned artifacts, all in one interpreter; when one fails, imports them again in a layout of
/// the unpruned ones. A module that imported before and fails after is blamed on the rule that removed the file it needed.
/// </summary>
public static class ImportVerifier
{
    /// <summary>Verifies one unit on its own: its layers and its function in one layout, every module of both.</summary>
    public static async Task<VerificationResult> VerifyAsync(VerificationUnit unit, string workDir, CancellationToken cancellationToken)
    {
        var python = PythonFinder.Find(unit.Runtime);
        if (python is null) return Skipped(unit);
        var root = Path.Combine(workDir, SafeName(unit.Name));
        var layers = new LayerStackLayout(unit.Layers, Path.Combine(root, "layers"));
        var modules = ModulesOf(unit.Function is null ? unit.Layers : [.. unit.Layers, unit.Function]);
        var result = await VerifyAsync(unit, modules, layers, Path.Combine(root, "function"), python, cancellationToken).ConfigureAwait(false);
        WriteBoundary.DeleteDirectory(root);
        return result;
    }

    /// <summary>A unit that cannot be verified here: no interpreter of its runtime's version.</summary>
    public static VerificationResult Skipped(VerificationUnit unit) =>
        new(unit.Name, $"no CPython {unit.Runtime.Version} found (looked for {PythonFinder.SearchedPlaces(unit.Runtime)})", 0, [], []);

    /// <summary>The top-level modules of the artifacts' distributions, in order.</summary>
    public static List<string> ModulesOf(IEnumerable<VerifiedArtifact> artifacts)
    {
        var list = artifacts.ToList();
        var tracedAway = TracedAway(list);
        return list.SelectMany(a => a.Before.Entries).Select(e => e.Owner).OfType<Model.Distribution>()
            .DistinctBy(d => d.NormalizedName).SelectMany(d => d.TopLevelModules)
            .Where(m => m.Length > 0 && !m.StartsWith("__", StringComparison.Ordinal) && !tracedAway.Contains(m))
            .Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Top-level modules prune: traced left out whole, because no event imported them: nothing of them ships, so
    /// there is nothing to import (the replay of the events is what proves that pruning).
    /// </summary>
    private static HashSet<string> TracedAway(List<VerifiedArtifact> artifacts)
    {
        static string Top(string relative)
        {
            var slash = relative.IndexOf('/');
            if (slash > 0) return relative[..slash];
            var dot = relative.IndexOf('.');
            return dot > 0 ? relative[..dot] : relative;
        }
        static string Relative(string path, string prefix) => prefix.Length > 0 && path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path;
        var gone = artifacts.SelectMany(a => a.Removed).Where(d => d.Rule == Prune.PrunePlanner.TracedRule).Select(d => Top(d.Path)).ToHashSet(StringComparer.Ordinal);
        if (gone.Count > 0) gone.ExceptWith(artifacts.SelectMany(a => a.After.Entries.Select(e => Top(Relative(e.ArchivePath, a.After.InstallPrefix)))));
        return gone;
    }

    /// <summary>A folder name for a unit: its name made safe, shortened with a hash when long (a file name holds 255 bytes).</summary>
    public static string SafeName(string name)
    {
        var safeName = Regex.Replace(name, "[^A-Za-z0-9_.-]", "_");
        return safeName.Length > 120 ? $"{safeName[..100]}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..16]}" : safeName;
    }

    /// <summary>
    /// Imports <paramref name="modules"/> (and the unit's handler) in what ships: the layer stack's pruned opt/, with the
    /// unit's function, if any, in a var/task/ of its own under <paramref name="functionRoot"/>. Only when one fails there
    /// are they imported again in what was installed, to tell what pruning broke from what never worked: a module that
    /// imports in what ships needs no explaining.
    /// </summary>
    public static async Task<VerificationResult> VerifyAsync(
        VerificationUnit unit, IReadOnlyList<string> modules, LayerStackLayout layers, string functionRoot, string python, CancellationToken cancellationToken)
    {
        var list = modules.ToList();
        if (unit.HandlerModule is not null && !list.Contains(unit.HandlerModule)) list.Add(unit.HandlerModule);
        if (list.Count == 0) return new VerificationResult(unit.Name, null, 0, [], []);
        (string, string)? handler = unit.HandlerModule is not null && unit.HandlerFunction is not null ? (unit.HandlerModule, unit.HandlerFunction) : null;

        var afterLayout = unit.Function is null ? layers.After : layers.After.WithFunction(Path.Combine(functionRoot, "after"), unit.Function.After);
        var after = await ImportProbe.RunAsync(python, unit.Runtime.Version, afterLayout, list, cancellationToken, handler, unit.Variables).ConfigureAwait(false);
        var interpreters = after.Interpreters;
        var broken = new List<ImportFailure>();
        var preExisting = new List<(string, string)>();
        if (list.Any(m => after.GetValueOrDefault(m) is not null))
        {
            var beforeLayout = unit.Function is null ? layers.Before : layers.Before.WithFunction(Path.Combine(functionRoot, "before"), unit.Function.Before);
            var before = await ImportProbe.RunAsync(python, unit.Runtime.Version, beforeLayout, list, cancellationToken, variables: unit.Variables).ConfigureAwait(false);
            interpreters += before.Interpreters;
            foreach (var m in list)
            {
                var was = before.GetValueOrDefault(m);
                var now = after.GetValueOrDefault(m);
                if (was is not null) { if (m != unit.HandlerModule || handler is null) preExisting.Add((m, was)); }
                else if (now is not null)
                {
                    var (blamed, exact) = BlameFor(m, now, unit, afterLayout);
                    broken.Add(new ImportFailure(unit.Name, m, now, blamed, exact));
                }
            }
        }
        if (unit.Function is not null) WriteBoundary.DeleteDirectory(functionRoot);
        // A handler whose module pruning broke is reported (and repaired) as that; anything else would fail on the first call.
        var handlerError = broken.Any(b => b.Module == unit.HandlerModule) ? null : after.HandlerError;
        return new VerificationResult(unit.Name, null, list.Count, broken, preExisting, handlerError, interpreters);
    }

    /// <summary>Finds the removed files an import error points at: by module name, by path, by library name, else by package.</summary>
    public static (IReadOnlyList<Blame> Blamed, bool Exact) BlameFor(string module, string error, VerificationUnit unit, LambdaLayout layout)
    {
        var removed = new List<(Blame Blame, string SitePath, string LayoutPath)>();
        foreach (var l in unit.Layers)
            removed.AddRange(Removed(l, layout.Opt));
        if (unit.Function is not null) removed.AddRange(Removed(unit.Function, layout.Task));

        var missing = Regex.Match(error, @"No module named '([^']+)'");
        if (missing.Success)
        {
            var path = missing.Groups[1].Value.Replace('.', '/');
            var hits = removed.Where(r => r.SitePath == path + ".py" || r.SitePath.StartsWith(path + "/", StringComparison.Ordinal)
                || (r.SitePath.StartsWith(path + ".", StringComparison.Ordinal) && r.SitePath.Contains(".so", StringComparison.Ordinal))).ToList();
            if (hits.Count > 0) return (hits.Select(h => h.Blame).ToList(), true);
        }
        var byPath = removed.Where(r => error.Contains(r.LayoutPath, StringComparison.Ordinal) || error.Contains(r.SitePath, StringComparison.Ordinal)).ToList();
        if (byPath.Count > 0) return (byPath.Select(h => h.Blame).ToList(), true);
        var library = Regex.Match(error, @"([\w.+-]+\.so[\w.]*): cannot open shared object file");
        if (library.Success)
        {
            var hits = removed.Where(r => Path.GetFileName(r.SitePath) == library.Groups[1].Value).ToList();
            if (hits.Count > 0) return (hits.Select(h => h.Blame).ToList(), true);
        }
        var top = module.Split('.')[0];
        var package = removed.Where(r => r.SitePath.StartsWith(top + "/", StringComparison.Ordinal) || r.SitePath.StartsWith(top + ".", StringComparison.Ordinal)).ToList();
        return (package.Select(h => h.Blame).ToList(), false);
    }

    private static IEnumerable<(Blame, string SitePath, string LayoutPath)> Removed(VerifiedArtifact artifact, string root)
    {
        var prefix = artifact.Before.InstallPrefix;
        foreach (var d in artifact.Removed)
        {
            var archivePath = artifact.Before.Contains(prefix + d.Path) ? prefix + d.Path : d.Path;
            yield return (new Blame(artifact.Name, archivePath, d.Rule), d.Path, Path.Combine(root, archivePath));
        }
    }
}
