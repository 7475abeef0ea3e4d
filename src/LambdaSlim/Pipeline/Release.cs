namespace LambdaSlim.Pipeline;

/// <summary>
/// One successful deploy, kept for `lambdaslim rollback`: the template as deployed (its zips in S3 by sha256), its
/// parameters and tags, and the bucket and prefix of its zips (where a rollback puts a template too big for a request).
/// </summary>
public sealed record Release(string Template, IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, string> Tags, DateTimeOffset DeployedAt,
    string? Bucket = null, string? Prefix = null);
