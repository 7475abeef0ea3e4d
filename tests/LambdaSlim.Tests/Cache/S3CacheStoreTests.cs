using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LambdaSlim.Cache;

namespace LambdaSlim.Tests.Cache;

/// <summary>The S3 store against a real moto server: what two CI runners sharing one bucket would see.</summary>
[Trait("Category", "Integration")]
public class S3CacheStoreTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly CacheKey Key = new("00112233445566778899aabbccddeeff");

    private sealed record Machine(string Work, ICacheStore Store, RecordingObserver Observer);

    private Machine NewMachine(string url, Dictionary<string, string>? environment = null)
    {
        var observer = new RecordingObserver();
        var env = environment ?? moto.ClientEnvironment;
        return new(TestEnvironment.NewTempDir("machine"), CacheStore.Open(CacheLocation.Parse(url), observer, k => env.GetValueOrDefault(k)), observer);
    }

    private AmazonS3Client Admin() => new(new BasicAWSCredentials("testing", "testing"),
        new AmazonS3Config { ServiceURL = moto.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    private async Task<string> NewBucket()
    {
        var bucket = $"cache-{Guid.NewGuid():N}"[..20];
        using var s3 = Admin();
        await s3.PutBucketAsync(bucket);
        return bucket;
    }

    private static string WriteFile(string dir, string name, byte[] bytes)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task A_put_object_comes_back_byte_for_byte_with_its_sha256_in_the_metadata()
    {
        var bucket = await NewBucket();
        var m = NewMachine($"s3://{bucket}/ci/lambdaslim");
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        (await m.Store.PutAsync(Key, WriteFile(m.Work, "layer.zip", bytes))).ShouldBeTrue();

        using (var s3 = Admin())
        {
            var head = await s3.GetObjectMetadataAsync(bucket, $"ci/lambdaslim/{Key}");
            head.Metadata["sha256"].ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        var back = Path.Combine(m.Work, "back.zip");
        (await m.Store.TryGetAsync(Key, back)).ShouldBeTrue();
        (await File.ReadAllBytesAsync(back)).ShouldBe(bytes);
        (await m.Store.TryGetAsync(new CacheKey("ffffffffffffffff"), Path.Combine(m.Work, "none"))).ShouldBeFalse("a key never stored is a plain miss");
        m.Observer.Warnings.ShouldBeEmpty();
        m.Store.Readable.ShouldBeTrue();
    }

    [Fact]
    public async Task Two_machines_sharing_a_bucket_see_each_others_entries()
    {
        var bucket = await NewBucket();
        var runner1 = NewMachine($"s3://{bucket}/shared");
        var runner2 = NewMachine($"s3://{bucket}/shared");
        var other = NewMachine($"s3://{bucket}/other-prefix");
        var bytes = RandomNumberGenerator.GetBytes(50_000);
        await runner1.Store.PutAsync(Key, WriteFile(runner1.Work, "layer.zip", bytes));

        (await runner2.Store.TryGetAsync(Key, Path.Combine(runner2.Work, "layer.zip"))).ShouldBeTrue();
        (await File.ReadAllBytesAsync(Path.Combine(runner2.Work, "layer.zip"))).ShouldBe(bytes);
        var listed = (await runner2.Store.ListAsync()).ShouldHaveSingleItem();
        listed.Key.ShouldBe(Key);
        listed.Bytes.ShouldBe(50_000);
        (await other.Store.ListAsync()).ShouldBeEmpty("a prefix is a cache of its own");

        (await runner2.Store.DeleteAsync(Key)).ShouldBeTrue();
        (await runner1.Store.TryGetAsync(Key, Path.Combine(runner1.Work, "again.zip"))).ShouldBeFalse();
        new[] { runner1, runner2, other }.SelectMany(m => m.Observer.Warnings).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("corrupted")]
    [InlineData("truncated")]
    [InlineData("no hash")]
    public async Task A_damaged_object_is_a_miss_with_a_warning_and_the_next_put_repairs_it(string damage)
    {
        var bucket = await NewBucket();
        var m = NewMachine($"s3://{bucket}/p");
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var source = WriteFile(m.Work, "layer.zip", bytes);
        await m.Store.PutAsync(Key, source);

        // Another writer (or a failed upload tool) overwrites the object through the S3 API, keeping or losing the recorded hash.
        using (var s3 = Admin())
        {
            var head = await s3.GetObjectMetadataAsync(bucket, $"p/{Key}");
            var damaged = damage == "truncated" ? bytes[..40_000] : RandomNumberGenerator.GetBytes(100_000);
            var put = new PutObjectRequest { BucketName = bucket, Key = $"p/{Key}", InputStream = new MemoryStream(damaged) };
            if (damage != "no hash") put.Metadata["sha256"] = head.Metadata["sha256"];
            await s3.PutObjectAsync(put);
        }

        var destination = Path.Combine(m.Work, "got.zip");
        (await m.Store.TryGetAsync(Key, destination)).ShouldBeFalse();
        File.Exists(destination).ShouldBeFalse("a damaged object leaves no file behind");
        var warning = m.Observer.Warnings.ShouldHaveSingleItem();
        warning.ShouldContain($"cache entry {Key} in s3://{bucket}/p");
        warning.ShouldContain(damage == "no hash" ? "records no sha256" : "corrupted or partial");
        m.Store.Readable.ShouldBeTrue("one bad entry does not take the cache away");

        (await m.Store.PutAsync(Key, source)).ShouldBeTrue();
        (await m.Store.TryGetAsync(Key, destination)).ShouldBeTrue();
        (await File.ReadAllBytesAsync(destination)).ShouldBe(bytes);
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_is_one_warning_and_then_an_empty_cache()
    {
        int closedPort;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            closedPort = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        var env = new Dictionary<string, string>(moto.ClientEnvironment) { ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{closedPort}" };
        var m = NewMachine("s3://some-bucket/p", env);

        (await m.Store.TryGetAsync(Key, Path.Combine(m.Work, "got"))).ShouldBeFalse();
        (await m.Store.PutAsync(Key, WriteFile(m.Work, "x", [1]))).ShouldBeFalse();
        (await m.Store.ListAsync()).ShouldBeEmpty();
        (await m.Store.TryGetAsync(Key, Path.Combine(m.Work, "got"))).ShouldBeFalse();

        var warning = m.Observer.Warnings.ShouldHaveSingleItem("the store warns once, not on every call");
        warning.ShouldContain("the cache s3://some-bucket/p cannot be reached");
        warning.ShouldContain("building without it");
        m.Store.Readable.ShouldBeFalse();
        m.Store.Writable.ShouldBeFalse();
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_is_a_warning_naming_it()
    {
        var m = NewMachine("s3://no-such-bucket-here/p");
        (await m.Store.PutAsync(Key, WriteFile(m.Work, "x", [1]))).ShouldBeFalse();
        (await m.Store.TryGetAsync(Key, Path.Combine(m.Work, "got"))).ShouldBeFalse();
        var warning = m.Observer.Warnings.ShouldHaveSingleItem();
        warning.ShouldContain("cannot be reached");
        warning.ShouldContain("NoSuchBucket");
    }

    [Fact]
    public async Task AWS_ENDPOINT_URL_S3_wins_over_AWS_ENDPOINT_URL()
    {
        var bucket = await NewBucket();
        var env = new Dictionary<string, string>(moto.ClientEnvironment)
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1",
            ["AWS_ENDPOINT_URL_S3"] = moto.Endpoint,
        };
        var m = NewMachine($"s3://{bucket}", env);
        (await m.Store.PutAsync(Key, WriteFile(m.Work, "x", [7, 7]))).ShouldBeTrue();
        (await m.Store.ListAsync()).ShouldHaveSingleItem().Key.ShouldBe(Key);
        m.Observer.Warnings.ShouldBeEmpty();
    }
}
