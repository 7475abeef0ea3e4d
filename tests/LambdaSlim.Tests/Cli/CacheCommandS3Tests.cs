using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using LambdaSlim.Cache;

namespace LambdaSlim.Tests.Cli;

/// <summary>
/// `cache status|prune` on an S3 cache in moto, through the real CLI in its own process: the AWS settings come from the
/// environment, which an in-process run would share with every other test.
/// </summary>
[Trait("Category", "Integration")]
public class CacheCommandS3Tests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static (int Code, string Out, string Err) Cli(Dictionary<string, string> environment, params string[] args) => CliProcess.Run(environment, args);

    private async Task<string> BucketWith(int entries)
    {
        var bucket = $"cli-{Guid.NewGuid():N}"[..20];
        using (var s3 = new AmazonS3Client(new BasicAWSCredentials("testing", "testing"),
            new AmazonS3Config { ServiceURL = moto.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
            await s3.PutBucketAsync(bucket);
        var env = moto.ClientEnvironment;
        using var store = CacheStore.Open(CacheLocation.Parse($"s3://{bucket}/ci"), new RecordingObserver(), k => env.GetValueOrDefault(k));
        var work = TestEnvironment.NewTempDir("s3cli");
        for (var i = 0; i < entries; i++)
        {
            var file = Path.Combine(work, $"e{i}");
            await File.WriteAllBytesAsync(file, new byte[1_000 * (i + 1)]);
            // Stored in the reverse of their keys' order (c first), so oldest-first is not the keys' order by chance.
            (await store.PutAsync(new CacheKey(new string((char)('a' + entries - 1 - i), 16)), file)).ShouldBeTrue();
            await Task.Delay(1100); // S3 keeps LastModified to the second: the entries must be told apart by age
        }
        return bucket;
    }

    [Fact]
    public async Task Status_and_prune_work_on_the_bucket_LAMBDASLIM_CACHE_names()
    {
        var bucket = await BucketWith(3);
        var env = new Dictionary<string, string>(moto.ClientEnvironment) { [CacheLocation.EnvironmentVariable] = $"s3://{bucket}/ci" };

        var status = Cli(env, "cache", "status");
        status.Code.ShouldBe(0, status.Err);
        status.Out.ShouldContain($"cache    s3://{bucket}/ci (LAMBDASLIM_CACHE)");
        status.Out.ShouldContain("entries  3");
        status.Out.ShouldContain("size     6.0 kB (6,000 bytes)");

        var prune = Cli(env, "cache", "prune", "--max-size", "4kB");
        prune.Code.ShouldBe(0, prune.Err);
        var lines = prune.Out.Trim().Split('\n');
        lines[0].ShouldContain("cccccccccccccccc");
        lines[1].ShouldContain("bbbbbbbbbbbbbbbb");
        lines[^1].ShouldBe($"s3://{bucket}/ci: removed 2 entries, 3.0 kB; 1 entry, 3.0 kB left");
        Cli(env, "cache", "status").Out.ShouldContain("entries  1");
    }

    [Fact]
    public void Status_of_a_cache_that_cannot_be_reached_says_so_with_one_warning()
    {
        var env = new Dictionary<string, string>(moto.ClientEnvironment) { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1" };
        var (code, stdout, stderr) = Cli(env, "cache", "status", "--cache", "s3://some-bucket/p");
        code.ShouldBe(0);
        stdout.ShouldContain("state    cannot be reached");
        stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldStartWith("warning: the cache s3://some-bucket/p cannot be reached (");
    }
}
