using System.Text.Json.Nodes;

namespace LambdaSlim.Aws;

/// <summary>
/// The code of a PublishLayerVersion or UpdateFunctionCode call: the zip itself in the request (up to the API's
/// direct-upload limit), or an object in S3 for bigger ones.
/// </summary>
public abstract record LambdaCode
{
    public sealed record Inline(string ZipPath) : LambdaCode;

    public sealed record InS3(S3Artifact Artifact) : LambdaCode;

    internal async Task<JsonObject> ToJsonAsync(CancellationToken cancellationToken) => this switch
    {
        Inline inline => new JsonObject { ["ZipFile"] = Convert.ToBase64String(await File.ReadAllBytesAsync(inline.ZipPath, cancellationToken).ConfigureAwait(false)) },
        InS3 s3 => new JsonObject { ["S3Bucket"] = s3.Artifact.Bucket, ["S3Key"] = s3.Artifact.Key },
        _ => throw new InvalidOperationException(GetType().Name),
    };
}
