using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LambdaSlim.Cache;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// Two clean checkouts share finished layers through a cache (a folder, or S3 in moto): the second builds its layer
/// without running pip and ships the same bytes. A damaged entry is built again; a cache that cannot be reached is a
/// warning and the build goes on.
/// </summary>
[Trait("Category", "Integration")]
public class SharedCacheBuildTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly string[] Offline =
        ["--no-index", "--find-links", TestEnvironment.Wheelhouse, "--platform", "linux_x86_64"];

    /// <summary>The real CLI in its own process: the AWS settings come from its environment, which an in-process build would share with every test.</summary>
    private static (int Code, string Out, string Err) Build(string dir, Dictionary<string, string> environment, params string[] extra) =>
        CliProcess.Run(environment, ["build", "-p", dir, "--verbose", .. Offline, .. extra]);

    private static string LayerSha(string dir) => BuildReport.TryLoad(new BuildPaths(dir).Report)!.Layers.Single().Sha256;

    private async Task<string> Bucket()
    {
        var bucket = $"shared-{Guid.NewGuid():N}"[..24];
        using var s3 = S3Client();
        await s3.PutBucketAsync(bucket);
        return bucket;
    }

    private AmazonS3Client S3Client() => new(new BasicAWSCredentials("testing", "testing"),
        new AmazonS3Config { ServiceURL = moto.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    [Fact]
    public async Task A_second_checkout_takes_its_layer_from_S3_without_running_pip()
    {
        var cache = $"s3://{await Bucket()}/ci";
        var first = TestProjects.Dates();
        var second = TestProjects.Dates();

        var one = Build(first, moto.ClientEnvironment, "--cache", cache);
        one.Code.ShouldBe(0, one.Err);
        one.Err.ShouldContain("Installing layer Dates");

        var two = Build(second, moto.ClientEnvironment, "--cache", cache);
        two.Code.ShouldBe(0, two.Err);
        two.Err.ShouldContain("layer Dates: taken from the shared cache, so pip did not run");
        two.Err.ShouldNotContain("Installing layer Dates");
        LayerSha(second).ShouldBe(LayerSha(first));
        Directory.Exists(Path.Combine(second, ".lambdaslim", "work", "installs")).ShouldBeFalse("nothing was installed: the function has no requirements of its own");
    }

    [Fact]
    public async Task A_damaged_object_in_the_cache_is_built_again_and_replaced()
    {
        var bucket = await Bucket();
        var cache = $"s3://{bucket}/ci";
        var first = TestProjects.Dates();
        Build(first, moto.ClientEnvironment, "--cache", cache).Code.ShouldBe(0);
        using (var s3 = S3Client())
        {
            // Every object of the cache gets other bytes, with the sha256 it had: each is detected by its hash.
            var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "ci/" });
            foreach (var o in objects.S3Objects)
            {
                var head = await s3.GetObjectMetadataAsync(bucket, o.Key);
                var put = new PutObjectRequest { BucketName = bucket, Key = o.Key, ContentBody = "damaged" };
                foreach (var key in head.Metadata.Keys) put.Metadata.Add(key, head.Metadata[key]);
                await s3.PutObjectAsync(put);
            }
        }

        var second = TestProjects.Dates();
        var two = Build(second, moto.ClientEnvironment, "--cache", cache);

        two.Code.ShouldBe(0, two.Err);
        two.Err.ShouldContain("Installing layer Dates");
        LayerSha(second).ShouldBe(LayerSha(first));
        var third = TestProjects.Dates();
        var three = Build(third, moto.ClientEnvironment, "--cache", cache);
        three.Err.ShouldContain("layer Dates: taken from the shared cache, so pip did not run", customMessage: "the rebuild replaced the damaged entry");
    }

    [Fact]
    public void A_cache_that_cannot_be_reached_is_a_warning_and_the_build_goes_on()
    {
        var dir = TestProjects.Dates();
        var environment = new Dictionary<string, string>(moto.ClientEnvironment) { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9" };

        var result = Build(dir, environment, "--cache", "s3://no-such-bucket-here/ci");

        result.Code.ShouldBe(0, result.Err);
        result.Err.ShouldContain("cannot be reached");
        File.Exists(Path.Combine(dir, ".lambdaslim", "build", "layers", "Dates.zip")).ShouldBeTrue();
    }

    [Fact]
    public void Two_checkouts_share_a_cache_folder_named_in_the_template()
    {
        var cache = TestEnvironment.NewTempDir("shared-folder");
        string Checkout()
        {
            var dir = TestProjects.Dates();
            var template = Path.Combine(dir, "template.yaml");
            File.WriteAllText(template, $"Metadata:\n  LambdaSlim:\n    cache: {cache}\n" + File.ReadAllText(template));
            return dir;
        }
        var first = Checkout();
        Build(first, []).Code.ShouldBe(0);
        Directory.EnumerateFiles(cache).ShouldNotBeEmpty();

        var second = Checkout();
        var two = Build(second, []);
        two.Code.ShouldBe(0, two.Err);
        two.Err.ShouldContain("layer Dates: taken from the shared cache, so pip did not run");
        LayerSha(second).ShouldBe(LayerSha(first));

        // What the second checkout took from the cache is kept unpacked there: rebuilding it needs neither the cache nor pip.
        foreach (var entry in Directory.EnumerateFiles(cache)) File.Delete(entry);
        var rebuilt = Build(second, []);
        rebuilt.Code.ShouldBe(0, rebuilt.Err);
        rebuilt.Err.ShouldNotContain("Installing layer Dates");
        rebuilt.Err.ShouldContain("nothing changed since the last build, so nothing was written");

        var third = Checkout();
        var fresh = Build(third, [], "--no-cache");
        fresh.Err.ShouldContain("Installing layer Dates", customMessage: "--no-cache builds without the shared cache");
    }
}
