using System.Text.RegularExpressions;
using LambdaSlim.Model;

namespace LambdaSlim.Cache;

/// <summary>
/// Where the shared cache lives: a local folder, or an S3 bucket and prefix. <see cref="Origin"/> says which setting
/// chose it, for `cache status` and for warnings.
/// </summary>
public abstract partial record CacheLocation
{
    /// <summary>The environment variable that names the cache when no --cache is given.</summary>
    public const string EnvironmentVariable = "LAMBDASLIM_CACHE";

    /// <summary>The template setting (<c>Metadata: LambdaSlim: cache:</c>) read after the option and the variable.</summary>
    public const string TemplateKey = "cache";

    /// <summary>Where the cache is when nothing names one: a folder in the user's LambdaSlim cache.</summary>
    public static string DefaultDirectory => Path.Combine(CacheFolder.Root, "artifacts");

    public string Origin { get; init; } = "--cache";

    public sealed record Local(string Directory) : CacheLocation
    {
        public override string ToString() => Directory;
    }

    public sealed record S3(string Bucket, string Prefix) : CacheLocation
    {
        /// <summary>The object key of an entry: the prefix, a slash, the key.</summary>
        public string ObjectKey(CacheKey key) => Prefix.Length == 0 ? key.Value : $"{Prefix}/{key.Value}";

        public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";
    }

    /// <summary>
    /// A folder (relative to <paramref name="baseDirectory"/>, else the current folder) or s3://bucket/prefix. Anything
    /// else (another scheme, a bucket name S3 would refuse, a file where a folder should be) is a configuration error.
    /// </summary>
    public static CacheLocation Parse(string value, string? baseDirectory = null, string origin = "--cache")
    {
        var text = value.Trim();
        if (text.Length == 0)
            throw LambdaSlimException.Config($"{origin} is empty", "give a folder or s3://bucket/prefix");
        if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = text[5..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var bucket = slash < 0 ? rest : rest[..slash];
            var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
            if (!BucketName().IsMatch(bucket))
                throw LambdaSlimException.Config($"{origin} '{value}' does not name an S3 bucket",
                    "write s3://bucket/prefix with a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens");
            if (prefix.Contains("//", StringComparison.Ordinal) || prefix.Split('/').Any(p => p is "." or ".."))
                throw LambdaSlimException.Config($"{origin} '{value}' has an empty or relative part in its prefix", "write s3://bucket/prefix/with/plain/parts");
            return new S3(bucket, prefix) { Origin = origin };
        }
        if (Scheme().Match(text) is { Success: true } scheme)
            throw LambdaSlimException.Config($"{origin} '{value}' uses {scheme.Value}//, which LambdaSlim cannot store to", "give a folder or s3://bucket/prefix");
        string full;
        try
        {
            full = Path.GetFullPath(text, baseDirectory is null ? System.IO.Directory.GetCurrentDirectory() : Path.GetFullPath(baseDirectory));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw LambdaSlimException.Config($"{origin} '{value}' is not a usable path", "give a folder or s3://bucket/prefix");
        }
        if (File.Exists(full))
            throw LambdaSlimException.Config($"{origin} '{value}' is a file", "give a folder (it is created when missing) or s3://bucket/prefix");
        return new Local(Path.TrimEndingDirectorySeparator(full)) { Origin = origin };
    }

    /// <summary>
    /// The cache to use: the --cache option, else $LAMBDASLIM_CACHE, else the template's <c>Metadata: LambdaSlim:
    /// cache:</c> (relative to the project folder), else <see cref="DefaultDirectory"/>.
    /// </summary>
    public static CacheLocation Resolve(string? option, string? templateSetting, string projectDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (option is not null) return Parse(option, origin: "--cache");
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment) return Parse(fromEnvironment, origin: EnvironmentVariable);
        if (templateSetting is not null) return Parse(templateSetting, projectDirectory, origin: "Metadata: LambdaSlim: cache");
        return new Local(DefaultDirectory) { Origin = "default" };
    }

    /// <summary>The folders a command must allow writes to (<see cref="IO.WriteBoundary"/>) to use this cache.</summary>
    public IReadOnlyList<string> WriteRoots => this is Local local ? [local.Directory] : [];

    // Bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    [GeneratedRegex(@"^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]+:(?=//)")]
    private static partial Regex Scheme();
}
