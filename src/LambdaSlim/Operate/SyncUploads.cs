using LambdaSlim.Aws;
using LambdaSlim.Model;

namespace LambdaSlim.Operate;

/// <summary>
/// How a zip reaches Lambda: inside the request up to the direct-upload limit, else through the artifact bucket
/// under its sha256 (opened on first need, so a sync of small zips never touches S3).
/// </summary>
internal sealed class SyncUploads(AwsSession session, SyncRequest request, IBuildObserver observer) : IAsyncDisposable
{
    private ArtifactBucket? _bucket;

    public async Task<LambdaCode> CodeForAsync(string zip, ArtifactReport artifact, CancellationToken cancellationToken)
    {
        if (artifact.ZippedBytes <= request.DirectUploadLimit) return new LambdaCode.Inline(zip);
        _bucket ??= await ArtifactBucket.OpenAsync(session, request.Bucket, request.Prefix, observer, cancellationToken).ConfigureAwait(false);
        return new LambdaCode.InS3(await _bucket.UploadAsync(zip, cancellationToken).ConfigureAwait(false));
    }

    public ValueTask DisposeAsync()
    {
        _bucket?.Dispose();
        return ValueTask.CompletedTask;
    }
}
