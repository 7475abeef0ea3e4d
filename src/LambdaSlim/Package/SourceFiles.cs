using System.Text;

namespace LambdaSlim.Package;

/// <summary>A file skipped from the user's code because it looks like a secret, and why.</summary>
public sealed record SkippedSecret(string RelativePath, string Reason);

/// <summary>
/// Chooses which files of a CodeUri or ContentUri go into an artifact. Leaves out version control,
/// virtualenvs, caches and build outputs, and anything that looks like a secret unless the template's
/// <c>Metadata: LambdaSlim: include:</c> globs name it.
/// </summary>
public static class SourceFiles
{
    private static readonly HashSet<string> ExcludedFolders = new(StringComparer.Ordinal)
    {
        ".git", ".hg", ".svn", ".lambdaslim", ".aws-sam", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache",
        ".ruff_cache", ".tox", ".nox", ".idea", ".vscode", ".eggs",
    };

    private static readonly HashSet<string> ExcludedFiles = new(StringComparer.Ordinal) { ".DS_Store", "Thumbs.db", ".coverage" };

    private static readonly string[] SecretNames = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".netrc", ".pypirc", ".pgpass"];
    private static readonly string[] SecretExtensions = [".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"];
    private static readonly string[] HarmlessEnvSuffixes = [".example", ".sample", ".template", ".dist"];

    public static IReadOnlyList<(string RelativePath, string FullPath)> Collect(
        string root, IReadOnlyList<Glob> explicitIncludes, List<SkippedSecret> skippedSecrets)
    {
        var result = new List<(string, string)>();
        Walk(root, "");
        result.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return result;

        void Walk(string dir, string prefix)
        {
            // A virtualenv is recognised by its pyvenv.cfg (or conda-meta), whatever its name.
            if (prefix.Length > 0 && (File.Exists(Path.Combine(dir, "pyvenv.cfg")) || Directory.Exists(Path.Combine(dir, "conda-meta")))) return;
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                var rel = prefix + name;
                if (ExcludedFiles.Contains(name) || name.EndsWith(".pyc", StringComparison.Ordinal)) continue;
                var secret = SecretReason(rel, file);
                if (secret is not null && !Glob.MatchesList(explicitIncludes, rel))
                {
                    skippedSecrets.Add(new SkippedSecret(rel, secret));
                    continue;
                }
                result.Add((rel, file));
            }
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                var name = Path.GetFileName(sub);
                if (ExcludedFolders.Contains(name)) continue;
                if (new DirectoryInfo(sub).LinkTarget is not null && !Directory.Exists(sub)) continue;
                Walk(sub, prefix + name + "/");
            }
        }
    }

    /// <summary>Why a file looks like a secret, or null. By name first, then a look at small files for private-key blocks.</summary>
    public static string? SecretReason(string relativePath, string fullPath)
    {
        var name = Path.GetFileName(relativePath);
        if (name == ".env" || (name.StartsWith(".env.", StringComparison.Ordinal) && !HarmlessEnvSuffixes.Any(name.EndsWith)))
            return "environment file";
        if (SecretNames.Contains(name)) return "private key or credentials file";
        if (SecretExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase))) return "key or certificate store";
        if ((name is "credentials" or "config") && relativePath.Replace('\\', '/').Contains(".aws/", StringComparison.Ordinal))
            return "AWS credentials file";
        var info = new FileInfo(fullPath);
        if (info.Length is > 0 and < 256 * 1024)
        {
            var head = ReadHead(fullPath, 256 * 1024);
            if (head.Contains("PRIVATE KEY-----", StringComparison.Ordinal)) return "contains a private key";
            if (head.Contains("aws_secret_access_key", StringComparison.OrdinalIgnoreCase) && name is "credentials" or "config" or ".boto")
                return "AWS credentials file";
        }
        return null;
    }

    private static string ReadHead(string path, int max)
    {
        using var s = File.OpenRead(path);
        var buffer = new byte[Math.Min(max, (int)s.Length)];
        s.ReadExactly(buffer);
        return Encoding.Latin1.GetString(buffer);
    }
}
