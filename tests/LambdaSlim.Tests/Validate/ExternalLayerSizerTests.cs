using System.IO.Compression;
using System.Net;
using LambdaSlim.Validate;

namespace LambdaSlim.Tests.Validate;

public class ExternalLayerSizerTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Arn = "arn:aws:lambda:us-east-1:123456789012:layer:shared-utils:7";

    /// <summary>
    /// GetLayerVersionByArn as AWS answers it (the response shape recorded from the Lambda API reference), with its
    /// presigned Content.Location pointing at a local server: live AWS cannot be reached from here.
    /// </summary>
    private static string RecordedResponse(string location) => $$"""
        {
            "Content": {
                "Location": "{{location}}",
                "CodeSha256": "tv9jJO+rPbXUUXuRKi7CwHzKtLDkDRJLB3cC3Z/ouXo=",
                "CodeSize": 169
            },
            "LayerArn": "arn:aws:lambda:us-east-1:123456789012:layer:shared-utils",
            "LayerVersionArn": "{{Arn}}",
            "Description": "shared utilities",
            "CreatedDate": "2018-11-14T23:03:52.894+0000",
            "Version": 7,
            "CompatibleRuntimes": ["python3.11"],
            "LicenseInfo": "MIT"
        }
        """;

    [Fact]
    public async Task Downloads_the_layer_once_measures_it_unzipped_and_caches_by_arn()
    {
        var dir = TestEnvironment.NewTempDir("extlayer");
        var zipPath = Path.Combine(dir, "layer.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
            foreach (var (name, size) in new[] { ("python/a.py", 1000), ("python/b/data.bin", 250_000) })
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(new byte[size]);
            }

        using var listener = new HttpListener();
        var port = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        port.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)port.LocalEndpoint).Port}/";
        port.Stop();
        listener.Prefixes.Add(url);
        listener.Start();
        var served = 0;
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var ctx = await listener.GetContextAsync();
                served++;
                await ctx.Response.OutputStream.WriteAsync(await File.ReadAllBytesAsync(zipPath));
                ctx.Response.Close();
            }
        });

        var cli = Path.Combine(dir, "aws");
        File.WriteAllText(Path.Combine(dir, "response.json"), RecordedResponse(url + "layer.zip?X-Amz-Signature=abc"));
        File.WriteAllText(cli, $"#!/bin/sh\ncat '{Path.Combine(dir, "response.json")}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cache = Path.Combine(dir, "cache.json");

        var first = await ExternalLayerSizer.MeasureAsync(Arn, cache, cli);
        first.UnzippedBytes.ShouldBe(251_000);
        first.Reason.ShouldBeNull();
        var again = await ExternalLayerSizer.MeasureAsync(Arn, cache, "/nonexistent/aws");
        again.UnzippedBytes.ShouldBe(251_000, "the second lookup comes from the cache");
        served.ShouldBe(1);
        listener.Stop();
    }

    [Fact]
    public async Task Without_a_downloadable_location_the_size_is_unknown_and_says_why()
    {
        // The real AWS CLI against moto: moto answers GetLayerVersionByArn without a usable Content.Location.
        var env = moto.ClientEnvironment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        var dir = TestEnvironment.NewTempDir("extlayer");
        var result = await ExternalLayerSizer.MeasureAsync(Arn, Path.Combine(dir, "cache.json"), "aws", awsEnvironment: env);
        result.UnzippedBytes.ShouldBeNull();
        result.Reason.ShouldNotBeNullOrEmpty();
        (await ExternalLayerSizer.MeasureAsync("!ImportValue SharedLayer", Path.Combine(dir, "cache.json"))).Reason!.ShouldContain("not a literal layer version ARN");
    }
}
