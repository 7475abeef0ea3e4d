using System.IO.Compression;
using LambdaSlim.Install;
using LambdaSlim.IO;
using LambdaSlim.Model;

namespace LambdaSlim.Audit;

/// <summary>
/// The binary audit on zips as they are, without installing anything: each zip is extracted once into a work
/// folder, its files are attributed to the distributions whose .dist-info they carry, and a function is audited
/// together with its layers as Lambda would load them.
/// </summary>
public static class ZipAudit
{
    /// <summary>
    /// Audits one deployment: the layers in the order Lambda extracts them into /opt, then at most one function.
    /// The extractor writes each zip once, however many deployments it is part of.
    /// </summary>
    public static IReadOnlyList<AuditFinding> Run(Extractor extractor, IReadOnlyList<AuditedZip> stack, PythonRuntime runtime, Architecture architecture, AuditTally? tally = null)
    {
        var function = stack.LastOrDefault(z => !z.IsLayer);
        var files = stack.SelectMany(extractor.Files).ToList();
        return BinaryAudit.Run(files, runtime, architecture, function?.Artifact, tally);
    }

    /// <summary>
    /// Audits any layer or function zip on its own (one someone wants to adopt, say) for a runtime and architecture,
    /// in a temporary folder in the user's cache folder that is removed afterwards. <paramref name="name"/> is how findings name it; whether it is a
    /// layer is told from its contents (see <see cref="LooksLikeLayer"/>) unless <paramref name="isLayer"/> says.
    /// </summary>
    public static ZipAuditResult RunOne(string zipPath, string name, PythonRuntime runtime, Architecture architecture, IBuildObserver observer, bool? isLayer = null)
    {
        if (!File.Exists(zipPath)) throw LambdaSlimException.Input($"{zipPath} does not exist", "give the path of a layer or function zip");
        isLayer ??= LooksLikeLayer(zipPath);
        var zip = new AuditedZip($"{(isLayer.Value ? "layer" : "function")} {name}", Path.GetFullPath(zipPath), isLayer.Value);
        // In the user's cache folder, the one place outside a project LambdaSlim writes to.
        var cache = CacheFolder.Root;
        var temp = Path.Combine(cache, $".audit-{Guid.NewGuid():N}.tmp");
        using var boundary = WriteBoundary.Allow(cache);
        try
        {
            using var step = observer.Step($"Auditing the native binaries of {zip.Artifact} against {runtime} on {architecture.ToLambdaName()}");
            var tally = new AuditTally();
            var findings = Run(new Extractor(temp), [zip], runtime, architecture, tally);
            step.Status($"audit: {findings.Count} finding{(findings.Count == 1 ? "" : "s")}; {tally.Describe()}");
            return new ZipAuditResult(findings, 1);
        }
        finally
        {
            WriteBoundary.DeleteDirectory(temp);
        }
    }

    /// <summary>A zip is a layer when it has a python/ folder (Lambda puts /opt/python on sys.path) and no module at its top.</summary>
    public static bool LooksLikeLayer(string zipPath)
    {
        using var archive = OpenZip(zipPath);
        var names = archive.Entries.Select(e => e.FullName.Replace('\\', '/').TrimStart('/')).ToList();
        return names.Any(n => n.StartsWith("python/", StringComparison.Ordinal))
            && !names.Any(n => !n.Contains('/') && (n.EndsWith(".py", StringComparison.Ordinal) || n.EndsWith(".so", StringComparison.Ordinal)));
    }

    private static ZipArchive OpenZip(string zipPath)
    {
        try
        {
            return ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            throw LambdaSlimException.Input($"{zipPath} is not a zip: {e.Message}", "give a layer or function zip as Lambda takes it");
        }
    }

    /// <summary>Extracts zips into one work folder (inside the current write boundary) and remembers their files.</summary>
    public sealed class Extractor(string workFolder)
    {
        private readonly Dictionary<string, IReadOnlyList<AuditFile>> _extracted = new(StringComparer.Ordinal);

        public int Zips => _extracted.Count;

        public IReadOnlyList<AuditFile> Files(AuditedZip zip)
        {
            if (_extracted.TryGetValue(zip.Artifact, out var known)) return known;
            var folder = Path.Combine(workFolder, _extracted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var files = Extract(zip, folder);
            _extracted[zip.Artifact] = files;
            return files;
        }
    }

    /// <summary>Writes every file of the zip under <paramref name="folder"/>; an entry that would land outside it is refused.</summary>
    private static IReadOnlyList<AuditFile> Extract(AuditedZip zip, string folder)
    {
        WriteBoundary.DeleteDirectory(folder);
        WriteBoundary.CreateDirectory(folder);
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        using (var archive = OpenZip(zip.ZipPath))
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName.Replace('\\', '/').TrimStart('/');
                if (name.Length == 0 || name.EndsWith('/')) continue;
                var target = Path.GetFullPath(Path.Combine(folder, name));
                if (!target.StartsWith(root, StringComparison.Ordinal))
                    throw LambdaSlimException.Input($"{zip.ZipPath}: entry '{entry.FullName}' leads outside the folder it extracts to", "Lambda refuses such a zip too: rebuild it");
                WriteBoundary.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(WriteBoundary.Check(target), overwrite: true);
                paths.Add(name);
            }
        var owners = Owners(folder);
        return paths.Select(p => new AuditFile(zip.Artifact, p, Path.Combine(folder, p), owners.GetValueOrDefault(p))).ToList();
    }

    /// <summary>
    /// Which distribution each file belongs to, from the .dist-info folders in the zip: RECORD when it is still there,
    /// else the packages top_level.txt (or the distribution's name) names, with auditwheel's "&lt;package&gt;.libs" beside them.
    /// </summary>
    private static Dictionary<string, string> Owners(string folder)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 5, IgnoreInaccessible = true };
        var siteRoots = Directory.EnumerateDirectories(folder, "*.dist-info", options).Select(d => Path.GetDirectoryName(d)!).Distinct().Order(StringComparer.Ordinal);
        foreach (var site in siteRoots)
        {
            var prefix = Path.GetRelativePath(folder, site).Replace('\\', '/') is var rel && rel != "." ? rel + "/" : "";
            var distributions = DistributionScanner.Scan(site);
            foreach (var d in distributions)
                foreach (var f in d.Files)
                    owners.TryAdd(prefix + f, d.Name);
            var byTop = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var d in distributions.Where(d => !File.Exists(Path.Combine(site, d.DistInfoDir, "RECORD"))))
                foreach (var top in d.TopLevelModules.Append(d.NormalizedName.Replace('-', '_')))
                {
                    byTop.TryAdd(top, d.Name);
                    byTop.TryAdd(top + ".libs", d.Name);
                }
            if (byTop.Count == 0) continue;
            foreach (var file in Directory.EnumerateFiles(site, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(site, file).Replace('\\', '/');
                var slash = relative.IndexOf('/');
                // A package folder (numpy/, numpy.libs/) or a module file at the top (six.py, _cffi_backend.cpython-311-x86_64-linux-gnu.so).
                var top = slash >= 0 ? relative[..slash] : relative[..Math.Max(relative.IndexOf('.'), 0)];
                if (top.Length > 0 && byTop.TryGetValue(top, out var owner)) owners.TryAdd(prefix + relative, owner);
            }
        }
        return owners;
    }
}
