using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LambdaSlim.Cache;

namespace LambdaSlim.Aws;

/// <summary>
/// The bucket the built zips go to, each under its content address <c>&lt;prefix&gt;/&lt;sha256&gt;.zip</c>: an object
/// that is already there has those very bytes, so it is never sent twice. Every request names the caller's account as
/// the expected owner, so a bucket name that belongs to someone else fails instead of receiving the code. Without a
/// name, the account's own bucket <c>lambdaslim-artifacts-&lt;account&gt;-&lt;region&gt;</c> is created on first use,
/// versioned, encrypted by default and closed to the public.
/// </summary>
public sealed class ArtifactBucket : IDisposable
{
    private readonly AmazonS3Client _s3;
    private readonly IBuildObserver _observer;
    private readonly string _account;

    private ArtifactBucket(AmazonS3Client s3, string name, string prefix, string account, IBuildObserver observer)
    {
        _s3 = s3;
        Name = name;
        Prefix = prefix.Trim('/');
        _account = account;
        _observer = observer;
    }

    public string Name { get; }
    public string Prefix { get; }

    public static string DefaultName(string account, string region) => $"lambdaslim-artifacts-{account}-{region}".ToLowerInvariant();

    /// <param name="name">The bucket the user named (<c>--s3-bucket</c>), or <c>null</c> for the account's default bucket.</param>
    public static async Task<ArtifactBucket> OpenAsync(AwsSession session, string? name, string prefix, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        var account = await session.AccountIdAsync(cancellationToken).ConfigureAwait(false);
        var s3 = session.CreateS3Client();
        try
        {
            var bucket = new ArtifactBucket(s3, name ?? DefaultName(account, session.Region), prefix, account, observer);
            await bucket.CheckAsync(session, create: name is null, cancellationToken).ConfigureAwait(false);
            return bucket;
        }
        catch
        {
            s3.Dispose();
            throw;
        }
    }

    public string KeyFor(string sha256, string extension = ".zip") => Prefix.Length == 0 ? $"{sha256}{extension}" : $"{Prefix}/{sha256}{extension}";

    /// <summary>Uploads the zip (or, with another extension and type, a template) unless an object with its content address is already there.</summary>
    public async Task<S3Artifact> UploadAsync(string zipPath, CancellationToken cancellationToken = default, string extension = ".zip", string contentType = "application/zip")
    {
        var sha = await CacheHash.OfFileAsync(zipPath, cancellationToken).ConfigureAwait(false);
        var size = new FileInfo(zipPath).Length;
        var key = KeyFor(sha, extension);
        try
        {
            await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Name, Key = key, ExpectedBucketOwner = _account }, cancellationToken).ConfigureAwait(false);
            _observer.Info($"{Path.GetFileName(zipPath)}: already in s3://{Name}/{key}");
            return new(Name, key, sha, size, Uploaded: false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw Explain(e, $"read s3://{Name}/{key}");
        }

        try
        {
            var request = new PutObjectRequest
            {
                BucketName = Name,
                Key = key,
                FilePath = zipPath,
                ContentType = contentType,
                ExpectedBucketOwner = _account,
            };
            request.Metadata["sha256"] = sha;
            using var step = _observer.Step($"upload {Path.GetFileName(zipPath)}", size);
            await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            step.Report(size);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw Explain(e, $"upload {Path.GetFileName(zipPath)} to s3://{Name}/{key}");
        }
        return new(Name, key, sha, size, Uploaded: true);
    }

    private async Task CheckAsync(AwsSession session, bool create, CancellationToken cancellationToken)
    {
        HeadBucketResponse head;
        try
        {
            head = await _s3.HeadBucketAsync(new HeadBucketRequest { BucketName = Name, ExpectedBucketOwner = _account }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && create)
        {
            await CreateAsync(session.Region, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new LambdaSlimException(ExitCode.AwsFailed, $"the S3 bucket '{Name}' does not exist", "create it, or leave out --s3-bucket to use LambdaSlim's own bucket");
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Redirect or HttpStatusCode.TemporaryRedirect)
        {
            throw OtherRegion(session.Region, null);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new LambdaSlimException(ExitCode.AwsFailed,
                $"the S3 bucket '{Name}' belongs to another account or denies account {_account} ({session.CredentialSource})",
                "name a bucket of your own account with --s3-bucket, or grant s3:ListBucket, s3:GetObject and s3:PutObject on it");
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw Explain(e, $"check the bucket '{Name}'");
        }
        if (head.BucketRegion is { Length: > 0 } region && !string.Equals(RegionName(region), session.Region, StringComparison.OrdinalIgnoreCase))
            throw OtherRegion(session.Region, RegionName(region));
    }

    private LambdaSlimException OtherRegion(string ours, string? theirs) => new(ExitCode.AwsFailed,
        $"the S3 bucket '{Name}' is in {theirs ?? "another region"}, not in {ours} where the stack is deployed",
        $"deploy to {theirs ?? "the bucket's region"} with --region, or name a bucket in {ours} with --s3-bucket");

    /// <summary>S3's legacy location names: "EU" is eu-west-1, "US" (or none) us-east-1.</summary>
    private static string RegionName(string location) => location switch
    {
        "EU" => "eu-west-1",
        "US" => "us-east-1",
        _ => location,
    };

    private async Task CreateAsync(string region, CancellationToken cancellationToken)
    {
        _observer.Info($"creating the artifact bucket s3://{Name} (versioned, encrypted, not public)");
        try
        {
            var put = new PutBucketRequest { BucketName = Name };
            // us-east-1 is the one region that takes no location constraint. The region's own name goes as the
            // constraint: BucketRegionName would send eu-west-1 as the legacy "EU", which the regional endpoint refuses.
            if (region != "us-east-1")
                put.PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint(region) };
            try
            {
                await _s3.PutBucketAsync(put, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
            {
            }
            await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
            {
                BucketName = Name,
                ExpectedBucketOwner = _account,
                VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
            }, cancellationToken).ConfigureAwait(false);
            await _s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
            {
                BucketName = Name,
                ExpectedBucketOwner = _account,
                ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
                {
                    ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256 } }],
                },
            }, cancellationToken).ConfigureAwait(false);
            await _s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
            {
                BucketName = Name,
                ExpectedBucketOwner = _account,
                PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true, BlockPublicPolicy = true, IgnorePublicAcls = true, RestrictPublicBuckets = true },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyExists")
        {
            throw new LambdaSlimException(ExitCode.AwsFailed, $"the S3 bucket name '{Name}' is taken by another account", "name a bucket of your own with --s3-bucket");
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw Explain(e, $"create the bucket '{Name}'");
        }
    }

    private LambdaSlimException Explain(Exception e, string what)
    {
        if (e is AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } denied)
        {
            return new(ExitCode.AwsFailed, $"S3 denied account {_account} to {what} ({denied.ErrorCode})",
                "grant s3:GetObject and s3:PutObject on the bucket, or name a bucket of your own account with --s3-bucket", e);
        }
        if (e is AmazonServiceException { ErrorCode.Length: > 0 } service)
            return new(ExitCode.AwsFailed, $"S3 refused to {what} ({service.ErrorCode}: {AwsCredentialChain.FirstLine(service.Message)})", null, e);
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return new(ExitCode.AwsFailed, $"cannot reach S3 to {what} ({AwsCredentialChain.FirstLine(inner.Message)})", "check the network, --region and --endpoint-url", e);
    }

    public void Dispose() => _s3.Dispose();
}
