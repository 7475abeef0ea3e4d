using System.IO.Compression;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

/// <summary>Built zips to S3 under their content address, against a real moto server.</summary>
[Trait("Category", "Integration")]
public class ArtifactBucketTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private AmazonS3Client Admin() => new(new BasicAWSCredentials("testing", "testing"),
        new AmazonS3Config { ServiceURL = moto.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    private static string Zip(string dir, string name, string content)
    {
        var path = Path.Combine(dir, name);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("app.py").Open());
            writer.Write(content);
        }
        return path;
    }

    // eu-west-1 is the region whose location constraint the SDK would send as the legacy "EU", which emulators refuse.
    [Theory]
    [InlineData("eu-central-1")]
    [InlineData("eu-west-1")]
    public async Task Without_a_bucket_name_the_accounts_own_bucket_is_created_versioned_and_encrypted(string region)
    {
        var session = MotoSessions.Open(moto, region);
        var observer = new RecordingObserver();

        using (var bucket = await ArtifactBucket.OpenAsync(session, null, "app", observer))
            bucket.Name.ShouldBe($"lambdaslim-artifacts-123456789012-{region}");

        using var s3 = Admin();
        (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = $"lambdaslim-artifacts-123456789012-{region}" })).VersioningConfig.Status.ShouldBe(VersionStatus.Enabled);
        var encryption = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = $"lambdaslim-artifacts-123456789012-{region}" });
        encryption.ServerSideEncryptionConfiguration.ServerSideEncryptionRules.ShouldHaveSingleItem()
            .ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm.ShouldBe(ServerSideEncryptionMethod.AES256);
        (await s3.GetBucketLocationAsync($"lambdaslim-artifacts-123456789012-{region}")).Location.Value.ShouldBe(region);
        observer.Infos.ShouldContain(i => i.StartsWith("creating the artifact bucket"));

        // Opening it again finds it: nothing is created twice.
        var again = new RecordingObserver();
        using (await ArtifactBucket.OpenAsync(session, null, "app", again)) { }
        again.Infos.ShouldNotContain(i => i.StartsWith("creating"));
    }

    [Fact]
    public async Task A_zip_goes_up_under_its_sha256_once_and_a_second_upload_sends_nothing()
    {
        var session = MotoSessions.Open(moto, "us-east-1");
        var dir = TestEnvironment.NewTempDir("zips");
        var function = Zip(dir, "PredictFunction.zip", "def handler(e, c): return 1\n");
        var layer = Zip(dir, "DepsLayer.zip", "import numpy\n");
        using var bucket = await ArtifactBucket.OpenAsync(session, null, "item-prediction", new RecordingObserver());

        var first = new[] { await bucket.UploadAsync(function), await bucket.UploadAsync(layer) };
        var second = new[] { await bucket.UploadAsync(function), await bucket.UploadAsync(layer) };

        first.ShouldAllBe(a => a.Uploaded);
        second.ShouldAllBe(a => !a.Uploaded);
        first[0].Key.ShouldBe($"item-prediction/{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(function)))}.zip");
        second.Select(a => a.S3Uri).ShouldBe(first.Select(a => a.S3Uri));
        using var s3 = Admin();
        // The bucket is versioned: every PUT would add a version. One version per key means one PUT per zip.
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket.Name, Prefix = "item-prediction/" });
        versions.Versions.Select(v => v.Key).Order().ShouldBe(first.Select(a => a.Key).Order());
        (await s3.GetObjectMetadataAsync(bucket.Name, first[1].Key)).ContentLength.ShouldBe(new FileInfo(layer).Length);
    }

    [Fact]
    public async Task A_named_bucket_in_another_region_or_missing_is_one_line_saying_so()
    {
        using (var s3 = Admin())
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = "team-artifacts-eu", BucketRegionName = "ap-southeast-2" });

        var elsewhere = await Should.ThrowAsync<LambdaSlimException>(() => ArtifactBucket.OpenAsync(MotoSessions.Open(moto, "us-west-2"), "team-artifacts-eu", "app", new RecordingObserver()));
        elsewhere.ExitCode.ShouldBe(ExitCode.AwsFailed);
        elsewhere.Message.ShouldBe("the S3 bucket 'team-artifacts-eu' is in ap-southeast-2, not in us-west-2 where the stack is deployed");

        var missing = await Should.ThrowAsync<LambdaSlimException>(() => ArtifactBucket.OpenAsync(MotoSessions.Open(moto, "us-west-2"), "no-such-bucket-here", "app", new RecordingObserver()));
        missing.Message.ShouldBe("the S3 bucket 'no-such-bucket-here' does not exist");
    }
}
