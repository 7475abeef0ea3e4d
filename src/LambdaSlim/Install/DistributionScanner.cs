using LambdaSlim.Model;

namespace LambdaSlim.Install;


/// <summary>Finds the distributions pip installed under a folder, from their .dist-info metadata.</summary>
public static class DistributionScanner
{
    public static IReadOnlyList<Distribution> Scan(string root)
    {
        if (!Directory.Exists(root)) return [];
        var result = new List<Distribution>();
        foreach (var distInfo in Directory.EnumerateDirectories(root, "*.dist-info").Order(StringComparer.Ordinal))
        {
            var metadata = ReadHeaders(Path.Combine(distInfo, "METADATA"));
            var dirName = Path.GetFileName(distInfo);
            var stem = dirName[..^".dist-info".Length];
            var dash = stem.IndexOf('-');
            var name = metadata.GetValueOrDefault("Name") ?? (dash > 0 ? stem[..dash] : stem);
            var version = metadata.GetValueOrDefault("Version") ?? (dash > 0 ? stem[(dash + 1)..] : "unknown");
            var topLevelFile = Path.Combine(distInfo, "top_level.txt");
            var topLevel = File.Exists(topLevelFile)
                ? File.ReadAllLines(topLevelFile).Select(l => l.Trim().Replace('/', '.')).Where(l => l.Length > 0).Distinct().ToList()
                : [];
            result.Add(new Distribution(name, version, dirName, OwnedFiles(root, distInfo), topLevel));
        }
        return result;
    }

    private static List<string> OwnedFiles(string root, string distInfo)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var record = Path.Combine(distInfo, "RECORD");
        if (File.Exists(record))
        {
            foreach (var line in File.ReadLines(record))
            {
                var path = FirstCsvField(line);
                if (path.Length == 0) continue;
                var full = Path.GetFullPath(path, root);
                // RECORD may list scripts outside the target (../../bin/...): those are not part of the tree.
                if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
                if (File.Exists(full)) files.Add(Path.GetRelativePath(root, full).Replace('\\', '/'));
            }
        }
        else
        {
            // No RECORD: own the packages top_level.txt names.
            var topLevel = Path.Combine(distInfo, "top_level.txt");
            foreach (var name in File.Exists(topLevel) ? File.ReadAllLines(topLevel).Select(l => l.Trim()).Where(l => l.Length > 0) : [])
            {
                var dir = Path.Combine(root, name);
                if (Directory.Exists(dir))
                    foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
                        files.Add(Path.GetRelativePath(root, f).Replace('\\', '/'));
                if (File.Exists(dir + ".py")) files.Add(name + ".py");
            }
        }
        foreach (var f in Directory.EnumerateFiles(distInfo, "*", SearchOption.AllDirectories))
            files.Add(Path.GetRelativePath(root, f).Replace('\\', '/'));
        return files.ToList();
    }

    private static string FirstCsvField(string line)
    {
        if (!line.StartsWith('"')) return line.Split(',')[0].Trim();
        var end = line.IndexOf("\",", 1, StringComparison.Ordinal);
        return (end < 0 ? line[1..].TrimEnd('"') : line[1..end]).Replace("\"\"", "\"");
    }

    private static Dictionary<string, string> ReadHeaders(string path)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path)) return headers;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) break; // the body (long description) starts after the first blank line
            var colon = line.IndexOf(':');
            if (colon > 0 && !char.IsWhiteSpace(line[0])) headers.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        return headers;
    }
}
