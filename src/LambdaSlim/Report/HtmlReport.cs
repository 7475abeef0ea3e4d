using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using LambdaSlim.IO;
using LambdaSlim.Validate;
using LambdaSlim.Model;

namespace LambdaSlim.Report;

/// <summary>
/// The size report as one self-contained HTML page: each function's total against Lambda's unzipped limit, a treemap
/// of where the bytes go (artifact, package, folder, read from each zip's listing), the largest files, the prune rules
/// that saved the most, and the artifacts. CSS, script and data are inline, so it opens offline; the same inputs give
/// the same bytes (no timestamps, everything sorted).
/// </summary>
public static class HtmlReport
{
    public const int LargestFileRows = 25;

    /// <summary>The treemap's name for files that sit at an artifact's root (and their top-level __pycache__).</summary>
    public const string LooseFiles = "(files)";

    private const string LayerRoot = "python/";
    private const string PyCache = "__pycache__";

    // Hues far enough apart to tell neighbouring artifacts apart; the treemap and the total bars share them.
    private static readonly int[] Palette = [210, 28, 140, 280, 350, 180, 55, 245, 100, 310];

    public static string Render(BuildReport report, string buildOutputDir)
    {
        var artifacts = report.Layers.Concat(report.Functions).ToList();
        var hues = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in artifacts) hues.TryAdd(a.LogicalId, Palette[hues.Count % Palette.Length]);

        var listings = new List<ZipListing>();
        var unreadable = new List<(ArtifactReport Artifact, string Why)>();
        foreach (var a in artifacts)
        {
            var (listing, why) = ZipListing.TryRead(a, buildOutputDir);
            if (listing is not null) listings.Add(listing);
            else unreadable.Add((a, why!));
        }

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>LambdaSlim size report: ").Append(E(report.Template)).Append("</title>\n")
          .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n");
        AppendHeader(sb, report, hues);
        AppendTreemap(sb, listings, unreadable, hues);
        AppendLargestFiles(sb, listings);
        AppendRules(sb, artifacts);
        AppendTraced(sb, artifacts);
        AppendArtifacts(sb, artifacts);
        sb.Append("<script type=\"application/json\" id=\"treemap-data\">").Append(TreemapJson(listings, hues)).Append("</script>\n")
          .Append("<script>").Append(Script).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes the page through a temp file and a rename, so a reader never sees half a report.</summary>
    public static Task SaveAsync(BuildReport report, string buildOutputDir, string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, Render(report, buildOutputDir), cancellationToken);

    private static void AppendHeader(StringBuilder sb, BuildReport report, Dictionary<string, int> hues)
    {
        var saved = report.Layers.Concat(report.Functions).Sum(a => a.Prune?.SavedBytes ?? 0);
        sb.Append("<header>\n<h1>Size report <code>").Append(E(report.Template)).Append("</code></h1>\n")
          .Append("<p class=\"meta\">").Append(E(report.Tool)).Append(' ').Append(E(report.ToolVersion))
          .Append(" · compressor ").Append(E(report.Compressor));
        if (saved > 0) sb.Append(" · pruning saved ").Append(Size(saved));
        sb.Append("</p>\n");
        if (report.Totals.Count == 0) { sb.Append("</header>\n"); return; }

        var functions = report.Functions.GroupBy(f => f.LogicalId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        sb.Append("<h2>Functions with their layers, against Lambda's ").Append(Size(SizeLimits.TotalUnzippedBytes)).Append(" unzipped limit</h2>\n")
          .Append("<table id=\"totals\" class=\"totals\">\n<tbody>\n");
        foreach (var t in report.Totals.OrderBy(t => t.LogicalId, StringComparer.Ordinal))
        {
            var over = t.TotalUnzippedBytes > SizeLimits.TotalUnzippedBytes;
            var pct = 100.0 * t.TotalUnzippedBytes / SizeLimits.TotalUnzippedBytes;
            var scale = (double)Math.Max(t.TotalUnzippedBytes, SizeLimits.TotalUnzippedBytes);
            var own = functions.TryGetValue(t.LogicalId, out var fn) ? fn.UnzippedBytes : t.TotalUnzippedBytes - t.Layers.Sum(l => l.UnzippedBytes ?? 0);
            var parts = new List<(string Name, long Bytes)> { (t.LogicalId, own) };
            parts.AddRange(t.Layers.Where(l => l.UnzippedBytes is > 0).Select(l => (l.Name, l.UnzippedBytes!.Value)));

            sb.Append("<tr data-function=\"").Append(E(t.LogicalId)).Append("\" data-bytes=\"").Append(Num(t.TotalUnzippedBytes))
              .Append("\" class=\"").Append(over ? "over" : "under").Append("\">\n<th scope=\"row\">").Append(E(t.LogicalId))
              .Append("<div class=\"handler\">").Append(E(t.Handler)).Append("</div></th>\n<td class=\"bar-cell\"><div class=\"bar\" title=\"")
              .Append(E($"{Exact(t.TotalUnzippedBytes)} of {Exact(SizeLimits.TotalUnzippedBytes)}")).Append("\">");
            foreach (var (name, bytes) in parts.Where(p => p.Bytes > 0))
            {
                var style = over ? "" : $"background:hsl({Num(hues.GetValueOrDefault(name, 0))},45%,55%);";
                sb.Append("<span class=\"seg\" style=\"width:").Append(Pct(bytes / scale)).Append("%;").Append(style)
                  .Append("\" title=\"").Append(E($"{name}: {Exact(bytes)}")).Append("\"></span>");
            }
            if (over) sb.Append("<span class=\"limit\" style=\"left:").Append(Pct(SizeLimits.TotalUnzippedBytes / scale)).Append("%\"></span>");
            sb.Append("</div>\n<div class=\"parts\">");
            sb.AppendJoin(" + ", t.Layers.Select(l => l.External || l.UnzippedBytes is null
                ? $"{E(l.Name)} <em>(external, size unknown)</em>"
                : $"{E(l.Name)} <span title=\"{E(Exact(l.UnzippedBytes.Value))}\">{Size(l.UnzippedBytes.Value)}</span>").Prepend($"code <span title=\"{E(Exact(own))}\">{Size(own)}</span>"));
            sb.Append("</div></td>\n<td class=\"num total\" title=\"").Append(E(Exact(t.TotalUnzippedBytes))).Append("\">")
              .Append(t.TotalIsLowerBound ? "≥ " : "").Append(Size(t.TotalUnzippedBytes)).Append("</td>\n<td class=\"num pct\">")
              .Append(pct.ToString("0.0", CultureInfo.InvariantCulture)).Append("%</td>\n</tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</header>\n");
    }

    private static void AppendTreemap(StringBuilder sb, List<ZipListing> listings, List<(ArtifactReport Artifact, string Why)> unreadable, Dictionary<string, int> hues)
    {
        sb.Append("<section>\n<h2>Where the bytes go</h2>\n")
          .Append("<p class=\"hint\">Artifact, then package (top-level folder; a layer's <code>python/</code> left out), then folder; area is unzipped bytes. Hover for the full path and exact size.</p>\n")
          .Append("<div class=\"legend\">");
        foreach (var l in listings.OrderByDescending(l => l.Bytes).ThenBy(l => l.Artifact.LogicalId, StringComparer.Ordinal))
            sb.Append("<span><i style=\"background:hsl(").Append(Num(hues[l.Artifact.LogicalId])).Append(",45%,40%)\"></i>")
              .Append(E(l.Artifact.LogicalId)).Append(" <small>").Append(E(l.Artifact.Kind)).Append("</small></span>");
        sb.Append("</div>\n<div id=\"treemap\" class=\"treemap\"></div>\n<p id=\"treemap-info\" class=\"hint\">&nbsp;</p>\n")
          .Append("<noscript><p>The treemap needs JavaScript; the tables below do not.</p></noscript>\n");
        foreach (var (a, why) in unreadable)
            sb.Append("<p class=\"missing\">Not in the treemap or the file table: ").Append(E(a.LogicalId)).Append(", ").Append(E(why))
              .Append(" (<code>").Append(E(a.Zip)).Append("</code>)</p>\n");
        sb.Append("</section>\n");
    }

    private static void AppendLargestFiles(StringBuilder sb, List<ZipListing> listings)
    {
        var files = listings
            .SelectMany(l => l.Files.Select(f => (l.Artifact.LogicalId, f.FullName, f.Bytes)))
            .OrderByDescending(f => f.Bytes).ThenBy(f => f.LogicalId, StringComparer.Ordinal).ThenBy(f => f.FullName, StringComparer.Ordinal)
            .Take(LargestFileRows);
        sb.Append("<section>\n<h2>Largest files</h2>\n<table id=\"largest-files\">\n<thead><tr><th>artifact</th><th>path</th><th class=\"num\">size</th></tr></thead>\n<tbody>\n");
        foreach (var (artifact, path, bytes) in files)
            sb.Append("<tr data-bytes=\"").Append(Num(bytes)).Append("\"><td>").Append(E(artifact)).Append("</td><td class=\"path\">").Append(E(path))
              .Append("</td><td class=\"num\" title=\"").Append(E(Exact(bytes))).Append("\">").Append(Size(bytes)).Append("</td></tr>\n");
        sb.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>Prune rules summed across artifacts, with debug-symbol stripping as a row of its own.</summary>
    public static IReadOnlyList<RuleSaving> RuleSavings(BuildReport report)
    {
        var pruned = report.Layers.Concat(report.Functions).Where(a => a.Prune is not null).Select(a => a.Prune!).ToList();
        if (pruned.Count == 0) return [];
        var tools = pruned.Select(p => p.Strip.Tool).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var strip = new RuleSaving(tools.Count == 0 ? "strip debug symbols" : $"strip debug symbols ({string.Join(", ", tools)})",
            pruned.Sum(p => p.Strip.Files), pruned.Sum(p => p.Strip.BytesSaved));
        return pruned.SelectMany(p => p.ByRule)
            .GroupBy(r => r.Rule, StringComparer.Ordinal)
            .Select(g => new RuleSaving(g.Key, g.Sum(r => r.Files), g.Sum(r => r.Bytes)))
            .Append(strip)
            .OrderByDescending(r => r.Bytes).ThenByDescending(r => r.Files).ThenBy(r => r.Rule, StringComparer.Ordinal)
            .ToList();
    }

    private static void AppendRules(StringBuilder sb, List<ArtifactReport> artifacts)
    {
        var rules = RuleSavings(new BuildReport("", "", "", "", artifacts, [], []));
        sb.Append("<section>\n<h2>Rules that saved the most</h2>\n");
        if (rules.Count == 0) { sb.Append("<p class=\"hint\">Nothing was pruned.</p>\n</section>\n"); return; }
        sb.Append("<table id=\"rules\">\n<thead><tr><th>rule</th><th class=\"num\">files</th><th class=\"num\">saved</th></tr></thead>\n<tbody>\n");
        foreach (var r in rules)
            sb.Append("<tr data-rule=\"").Append(E(r.Rule)).Append("\" data-bytes=\"").Append(Num(r.Bytes)).Append("\"><td>").Append(E(r.Rule))
              .Append("</td><td class=\"num\">").Append(r.Files.ToString("N0", CultureInfo.InvariantCulture)).Append("</td><td class=\"num\" title=\"")
              .Append(E(Exact(r.Bytes))).Append("\">").Append(Size(r.Bytes)).Append("</td></tr>\n");
        sb.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>For artifacts pruned with prune: traced: per distribution, what the events kept and dropped, and the events. Absent otherwise.</summary>
    private static void AppendTraced(StringBuilder sb, List<ArtifactReport> artifacts)
    {
        var traced = artifacts.Where(a => a.Prune?.Trace is not null).ToList();
        if (traced.Count == 0) return;
        sb.Append("<section>\n<h2>What the events exercised (prune: traced)</h2>\n")
          .Append("<p class=\"hint\">Kept: what a handler touched on its events, with the package metadata and the allowlisted data files. A code path no event exercised is not kept: add events, or trace-keep globs.</p>\n")
          .Append("<table id=\"traced\">\n<thead><tr><th>artifact</th><th>distribution</th><th class=\"num\">kept</th><th class=\"num\">dropped</th>")
          .Append("<th class=\"num\">modules exercised</th><th>events</th></tr></thead>\n<tbody>\n");
        foreach (var a in traced)
            foreach (var d in a.Prune!.Trace!.Distributions)
                sb.Append("<tr data-artifact=\"").Append(E(a.LogicalId)).Append("\" data-distribution=\"").Append(E(d.Name)).Append("\"><td>").Append(E(a.LogicalId))
                  .Append("</td><td>").Append(E(d.Name)).Append("</td>").Append(SizeCell(d.KeptBytes)).Append(SizeCell(d.DroppedBytes))
                  .Append("<td class=\"num\">").Append(E(TraceText.Share(d))).Append("</td><td>").Append(E(string.Join(", ", d.Events))).Append("</td></tr>\n");
        sb.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void AppendArtifacts(StringBuilder sb, List<ArtifactReport> artifacts)
    {
        sb.Append("<section>\n<h2>Artifacts</h2>\n<table id=\"artifacts\">\n<thead><tr><th>artifact</th><th>kind</th><th class=\"num\">files</th>")
          .Append("<th class=\"num\">unzipped</th><th class=\"num\">zipped</th><th class=\"num\">pruned</th><th>sha256</th><th>largest distributions</th></tr></thead>\n<tbody>\n");
        foreach (var a in artifacts)
        {
            var sha = a.Sha256.Length > 12 ? a.Sha256[..12] : a.Sha256;
            var saved = a.Prune?.SavedBytes ?? 0;
            sb.Append("<tr data-artifact=\"").Append(E(a.LogicalId)).Append("\"><td>").Append(E(a.LogicalId)).Append("<div class=\"handler\">").Append(E(a.Zip))
              .Append("</div></td><td>").Append(E(a.Kind)).Append("</td><td class=\"num\">").Append(a.FileCount.ToString("N0", CultureInfo.InvariantCulture))
              .Append("</td>").Append(SizeCell(a.UnzippedBytes)).Append(SizeCell(a.ZippedBytes)).Append(SizeCell(saved))
              .Append("<td><code title=\"").Append(E(a.Sha256)).Append("\">").Append(E(sha)).Append("</code></td><td class=\"dists\">");
            sb.AppendJoin(", ", a.Distributions
                .OrderByDescending(d => d.UnzippedBytes).ThenBy(d => d.Name, StringComparer.Ordinal).Take(5)
                .Select(d => $"{E(d.Name)} {E(d.Version)} <span title=\"{E(Exact(d.UnzippedBytes))}\">{Size(d.UnzippedBytes)}</span>"));
            if (a.Distributions.Count > 5) sb.Append(", … ").Append(Num(a.Distributions.Count - 5)).Append(" more");
            sb.Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</section>\n");
    }

    private static string TreemapJson(List<ZipListing> listings, Dictionary<string, int> hues)
    {
        using var stream = new MemoryStream();
        // The default encoder escapes <, >, & and quotes, so the data cannot close its <script> element.
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartArray();
            foreach (var (node, listing) in listings.Select(l => (Tree(l), l)).OrderByDescending(x => x.Item1.Bytes).ThenBy(x => x.Item1.Name, StringComparer.Ordinal))
                WriteNode(json, node, listing.Artifact.LogicalId, hues[listing.Artifact.LogicalId]);
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter json, TreeNode node, string artifact, int? hue)
    {
        json.WriteStartObject();
        json.WriteString("name", node.Name);
        json.WriteString("path", node.Path);
        json.WriteNumber("bytes", node.Bytes);
        json.WriteString("size", Size(node.Bytes));
        json.WriteString("title", $"{artifact}: {node.Display}\n{Exact(node.Bytes)} in {node.Files.ToString("N0", CultureInfo.InvariantCulture)} file{(node.Files == 1 ? "" : "s")}");
        if (hue is { } h) json.WriteNumber("hue", h);
        var children = node.SortedChildren().ToList();
        if (children.Count > 0)
        {
            json.WriteStartArray("children");
            foreach (var c in children) WriteNode(json, c, artifact, null);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    /// <summary>Artifact → package → folder, from the zip listing; <c>*.dist-info</c> joins the package it installed.</summary>
    private static TreeNode Tree(ZipListing listing)
    {
        var artifact = listing.Artifact;
        var root = new TreeNode(artifact.LogicalId, artifact.LogicalId, artifact.Zip);
        var folderBytes = listing.Files
            .Where(f => f.Segments.Length > 1 && f.Segments[0] != PyCache && !IsDistInfo(f.Segments[0]))
            .GroupBy(f => f.Segments[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(f => f.Bytes), StringComparer.Ordinal);
        var looseModules = listing.Files.Where(f => f.Segments.Length == 1).Select(f => f.Segments[0].Split('.')[0]).ToHashSet(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var r = listing.Root;

        foreach (var f in listing.Files)
        {
            var s = f.Segments;
            string package, packageDisplay, child, childDisplay;
            if (s.Length == 1 || s[0] == PyCache)
            {
                (package, packageDisplay) = (LooseFiles, $"{r}* (files at the root)");
                (child, childDisplay) = s.Length == 1 ? (s[0], r + s[0]) : (PyCache, $"{r}{PyCache}/");
            }
            else if (IsDistInfo(s[0]) && Owner(s[0]) is var owner && owner != s[0])
            {
                (package, packageDisplay) = owner == LooseFiles ? (LooseFiles, $"{r}* (files at the root)") : (owner, $"{r}{owner}/");
                (child, childDisplay) = (s[0], $"{r}{s[0]}/");
            }
            else
            {
                (package, packageDisplay) = (s[0], $"{r}{s[0]}/");
                (child, childDisplay) = s.Length == 2 ? (LooseFiles, $"{r}{s[0]}/* (files directly in it)") : (s[1], $"{r}{s[0]}/{s[1]}/");
            }
            var p = root.Child(package, packageDisplay);
            var c = p.Child(child, childDisplay);
            root.Add(f.Bytes);
            p.Add(f.Bytes);
            c.Add(f.Bytes);
        }
        return root;

        string Owner(string distInfo)
        {
            if (owners.TryGetValue(distInfo, out var known)) return known;
            var name = distInfo[..distInfo.LastIndexOf('.')].Split('-')[0];
            var candidates = listing.TopLevel.TryGetValue(distInfo, out var names) && names.Length > 0 ? names : [name];
            var owner = candidates.Where(folderBytes.ContainsKey)
                    .OrderByDescending(c => folderBytes[c]).ThenBy(c => c, StringComparer.Ordinal).FirstOrDefault()
                ?? folderBytes.Keys.Where(k => Normalize(k) == Normalize(name)).Order(StringComparer.Ordinal).FirstOrDefault()
                ?? (candidates.Append(name).Any(looseModules.Contains) ? LooseFiles : distInfo);
            owners[distInfo] = owner;
            return owner;
        }
    }

    private static bool IsDistInfo(string folder) =>
        folder.EndsWith(".dist-info", StringComparison.Ordinal) || folder.EndsWith(".egg-info", StringComparison.Ordinal);

    private static string Normalize(string name) => name.ToLowerInvariant().Replace('-', '_').Replace('.', '_');

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Pct(double fraction) => (100 * fraction).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => Bytes.Format(bytes);

    private static string Exact(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    private static string SizeCell(long bytes) => $"<td class=\"num\" title=\"{E(Exact(bytes))}\">{Size(bytes)}</td>";

    private sealed record ZipFileEntry(string FullName, string[] Segments, long Bytes);

    /// <summary>One artifact's files as its zip lists them, relative to where Lambda puts them on the path.</summary>
    private sealed record ZipListing(ArtifactReport Artifact, string Root, IReadOnlyList<ZipFileEntry> Files, IReadOnlyDictionary<string, string[]> TopLevel)
    {
        public long Bytes => Files.Sum(f => f.Bytes);

        public static (ZipListing? Listing, string? Why) TryRead(ArtifactReport artifact, string buildOutputDir)
        {
            var path = Path.Combine(buildOutputDir, artifact.Zip);
            if (!File.Exists(path)) return (null, "its zip is missing");
            var root = artifact.Kind == ArtifactReport.LayerKind ? LayerRoot : "";
            var files = new List<ZipFileEntry>();
            var topLevel = new Dictionary<string, string[]>(StringComparer.Ordinal);
            try
            {
                using var archive = ZipFile.OpenRead(path);
                foreach (var entry in archive.Entries)
                {
                    if (entry.FullName.EndsWith('/')) continue;
                    var relative = root.Length > 0 && entry.FullName.StartsWith(root, StringComparison.Ordinal) ? entry.FullName[root.Length..] : entry.FullName;
                    var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
                    if (segments.Length == 0) continue;
                    files.Add(new ZipFileEntry(entry.FullName, segments, entry.Length));
                    if (segments is [var dir, "top_level.txt"] && IsDistInfo(dir))
                    {
                        using var reader = new StreamReader(entry.Open());
                        topLevel[dir] = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    }
                }
            }
            catch (InvalidDataException) { return (null, "its zip cannot be read"); }
            files.Sort((a, b) => string.CompareOrdinal(a.FullName, b.FullName));
            return (new ZipListing(artifact, root, files, topLevel), null);
        }
    }

    private sealed class TreeNode(string name, string path, string display)
    {
        private readonly Dictionary<string, TreeNode> _children = new(StringComparer.Ordinal);

        public string Name { get; } = name;
        public string Path { get; } = path;
        public string Display { get; } = display;
        public long Bytes { get; private set; }
        public int Files { get; private set; }

        public void Add(long bytes)
        {
            Bytes += bytes;
            Files++;
        }

        public TreeNode Child(string childName, string childDisplay)
        {
            if (!_children.TryGetValue(childName, out var child))
                _children[childName] = child = new TreeNode(childName, $"{Path}/{childName}", childDisplay);
            return child;
        }

        // Empty files take no area; the biggest first is the order the layout wants and a reader expects.
        public IEnumerable<TreeNode> SortedChildren() => _children.Values
            .Where(c => c.Bytes > 0)
            .OrderByDescending(c => c.Bytes).ThenBy(c => c.Name, StringComparer.Ordinal);
    }

    private static readonly string Css = Asset("size-report.css");

    // Squarified treemap (Bruls, Huizing and van Wijk, 2000): rows grow while the worst aspect ratio improves.
    private static readonly string Script = Asset("size-report.js");

    /// <summary>The page's stylesheet and script, kept as files (Report/Assets/) and embedded like the other data.</summary>
    private static string Asset(string name)
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("LambdaSlim.Report.Assets." + name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
