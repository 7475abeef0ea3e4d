namespace LambdaSlim.Aws;

/// <summary>A built zip in S3 under its content address.</summary>
/// <param name="Uploaded">False when the object was already there and nothing was sent.</param>
public sealed record S3Artifact(string Bucket, string Key, string Sha256, long Size, bool Uploaded)
{
    /// <summary>The form <c>sam package</c> writes into CodeUri and ContentUri.</summary>
    public string S3Uri => $"s3://{Bucket}/{Key}";
}
