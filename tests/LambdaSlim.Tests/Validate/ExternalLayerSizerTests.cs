using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using LambdaSlim.Validate;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Validate;

[Trait("Category", "Integration")]
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

    private static readonly ExternalLayerSizerLimits Short = new()
    {
        CliConnect = TimeSpan.FromSeconds(1), CliRead = TimeSpan.FromSeconds(1), CliTotal = TimeSpan.FromSeconds(3),
        HttpConnect = TimeSpan.FromSeconds(2), HttpTotal = TimeSpan.FromSeconds(2),
    };

    /// <summary>A fake AWS CLI: records its arguments and counts its runs, then runs <paramref name="body"/>.</summary>
    private static string FakeCli(string dir, string body)
    {
        var cli = Path.Combine(dir, "aws");
        File.WriteAllText(cli, $"#!/bin/sh\necho run >> '{Path.Combine(dir, "runs.txt")}'\nprintf '%s\\n' \"$@\" > '{Path.Combine(dir, "args.txt")}'\n{body}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return cli;
    }

    private static string CliAnswering(string dir, string location)
    {
        File.WriteAllText(Path.Combine(dir, "response.json"), RecordedResponse(location));
        return FakeCli(dir, $"cat '{Path.Combine(dir, "response.json")}'");
    }

    private static int Runs(string dir) => File.Exists(Path.Combine(dir, "runs.txt")) ? File.ReadAllLines(Path.Combine(dir, "runs.txt")).Length : 0;

    /// <summary>A TCP port on 127.0.0.1 that accepts connections and never answers.</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> accepted = [];

        public SilentServer()
        {
            listener.Start();
            _ = Task.Run(async () =>
            {
                try { while (true) { var c = await listener.AcceptTcpClientAsync(); lock (accepted) accepted.Add(c); } }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            });
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        public void Dispose()
        {
            listener.Stop();
            lock (accepted) accepted.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Serves one zip over HTTP, honouring Range requests unless told not to, and counts the bytes it sends.</summary>
    private sealed class ZipServer : IDisposable
    {
        private readonly HttpListener listener = new();
        private long served;

        public ZipServer(byte[] zip, bool ranges = true)
        {
            var port = new TcpListener(IPAddress.Loopback, 0);
            port.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)port.LocalEndpoint).Port}/";
            port.Stop();
            listener.Prefixes.Add(Url);
            listener.Start();
            _ = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext ctx;
                    try { ctx = await listener.GetContextAsync(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                    var (from, to) = (0L, zip.Length - 1L);
                    var range = ctx.Request.Headers["Range"];
                    if (ranges && range is not null && range.StartsWith("bytes=", StringComparison.Ordinal))
                    {
                        var spec = range["bytes=".Length..].Split('-');
                        (from, to) = spec[0].Length == 0
                            ? (Math.Max(0, zip.Length - long.Parse(spec[1])), zip.Length - 1L)
                            : (long.Parse(spec[0]), Math.Min(zip.Length - 1L, long.Parse(spec[1])));
                        ctx.Response.StatusCode = 206;
                        ctx.Response.AddHeader("Content-Range", $"bytes {from}-{to}/{zip.Length}");
                    }
                    var count = (int)(to - from + 1);
                    ctx.Response.ContentLength64 = count;
                    try
                    {
                        await ctx.Response.OutputStream.WriteAsync(zip.AsMemory((int)from, count));
                        Interlocked.Add(ref served, count);
                        ctx.Response.Close();
                    }
                    catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
                }
            });
        }

        public string Url { get; }
        public long Served => Interlocked.Read(ref served);

        public void Dispose() => listener.Stop();
    }

    private static byte[] Zip(int smallFiles, int bigFileBytes, out long unzipped)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < smallFiles; i++)
            {
                using var s = zip.CreateEntry($"python/package_{i / 100}/module_with_a_long_name_{i}.py").Open();
                s.Write(new byte[i % 50]);
            }
            var random = new byte[bigFileBytes];
            new Random(7).NextBytes(random);
            using (var s = zip.CreateEntry("python/model.bin", CompressionLevel.NoCompression).Open()) s.Write(random);
        }
        unzipped = Enumerable.Range(0, smallFiles).Sum(i => (long)(i % 50)) + bigFileBytes;
        return memory.ToArray();
    }

    [Fact]
    public async Task A_big_layer_is_measured_from_its_central_directory_without_downloading_it()
    {
        var dir = TestEnvironment.NewTempDir("extlayer");
        var zip = Zip(smallFiles: 3000, bigFileBytes: 3_000_000, out var unzipped);
        using var server = new ZipServer(zip);
        var result = await ExternalLayerSizer.MeasureAsync(Arn, Path.Combine(dir, "cache.json"), CliAnswering(dir, server.Url + "layer.zip?X-Amz-Signature=abc"));

        result.Reason.ShouldBeNull();
        result.UnzippedBytes.ShouldBe(unzipped);
        server.Served.ShouldBeLessThan(zip.Length / 5, "only the tail and the central directory are fetched");
    }

    [Fact]
    public async Task A_zip64_central_directory_is_read_too()
    {
        // More than 65,535 entries makes a zip64 end record.
        var zip = Zip(smallFiles: 70_000, bigFileBytes: 10, out var unzipped);
        var tail = zip[^Math.Min(zip.Length, ZipCentralDirectory.TailLength)..];
        var bytes = await ZipCentralDirectory.UnzippedBytesAsync(zip.Length, tail,
            (offset, length, _) => Task.FromResult(zip[(int)offset..(int)(offset + length)]), long.MaxValue, CancellationToken.None);
        bytes.ShouldBe(unzipped);
    }

    [Fact]
    public async Task A_server_that_ignores_ranges_is_downloaded_but_never_beyond_what_a_layer_can_be()
    {
        var dir = TestEnvironment.NewTempDir("extlayer");
        var zip = Zip(smallFiles: 10, bigFileBytes: 500_000, out var unzipped);
        using var server = new ZipServer(zip, ranges: false);
        var cli = CliAnswering(dir, server.Url + "layer.zip");
        (await ExternalLayerSizer.MeasureAsync(Arn, Path.Combine(dir, "cache.json"), cli)).UnzippedBytes.ShouldBe(unzipped);

        var capped = await ExternalLayerSizer.MeasureAsync(Arn, Path.Combine(dir, "other-cache.json"), cli, limits: new ExternalLayerSizerLimits { MaxZipBytes = 100_000 });
        capped.UnzippedBytes.ShouldBeNull();
        capped.Reason!.ShouldContain("more than a layer can be");
    }

    [Fact]
    public async Task An_aws_endpoint_that_never_answers_gives_an_unknown_size_not_a_hang_or_a_cancel()
    {
        using var silent = new SilentServer();
        var dir = TestEnvironment.NewTempDir("extlayer");
        var env = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = "testing", ["AWS_SECRET_ACCESS_KEY"] = "testing", ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null", ["AWS_ENDPOINT_URL"] = silent.Url,
        };
        // The real AWS CLI, whose retries alone would take longer than the whole call may.
        var result = await ExternalLayerSizer.MeasureAsync(Arn, Path.Combine(dir, "cache.json"), "aws", awsEnvironment: env, limits: Short);
        result.UnzippedBytes.ShouldBeNull();
        result.Reason.ShouldBe("GetLayerVersionByArn timed out after 3 s");
    }

    [Fact]
    public async Task A_download_that_never_answers_times_out_with_a_reason_not_a_cancel()
    {
        using var silent = new SilentServer();
        var dir = TestEnvironment.NewTempDir("extlayer");
        var result = await ExternalLayerSizer.MeasureAsync(Arn, Path.Combine(dir, "cache.json"), CliAnswering(dir, silent.Url + "/layer.zip"), limits: Short);
        result.UnzippedBytes.ShouldBeNull();
        result.Reason.ShouldBe("downloading the layer timed out after 2 s");

        // Only the caller's token cancels.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Should.ThrowAsync<OperationCanceledException>(() => ExternalLayerSizer.MeasureAsync(
            Arn, Path.Combine(dir, "other-cache.json"), FakeCli(dir, "exec sleep 600"), cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_remembered_for_an_hour_and_then_tried_again()
    {
        var dir = TestEnvironment.NewTempDir("extlayer");
        // What the real AWS CLI prints when the endpoint refuses connections (recorded against a closed port).
        var cli = FakeCli(dir, "printf '\\nCould not connect to the endpoint URL: \"https://lambda.us-east-1.amazonaws.com/2018-10-31/layers?find=LayerVersion&Arn=arn\"\\n' >&2\nexit 255");
        var cache = Path.Combine(dir, "cache.json");

        var first = await ExternalLayerSizer.MeasureAsync(Arn, cache, cli);
        first.Reason!.ShouldStartWith("GetLayerVersionByArn failed: Could not connect to the endpoint URL");
        var second = await ExternalLayerSizer.MeasureAsync(Arn, cache, cli);
        Runs(dir).ShouldBe(1, "the second build does not wait on the endpoint again");
        second.Reason!.ShouldContain("(cached failure from ");
        second.Reason!.ShouldContain("; retried after ");

        var written = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(cache))!;
        written["layers"]![Arn]!["failedAt"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(cache, written.ToJsonString());
        await ExternalLayerSizer.MeasureAsync(Arn, cache, cli);
        Runs(dir).ShouldBe(2, "after an hour it is tried again");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"version\": 2, \"layers\": {\"" + Arn + "\": {\"unzippedBytes\": -5}}}")]
    [InlineData("{\"" + Arn + "\": -5}")]
    [InlineData("{\"version\": 2, \"layers\": {\"" + Arn + "\": \"big\"}}")]
    [InlineData("{\"version\": 99, \"layers\": {\"" + Arn + "\": {\"unzippedBytes\": 5}}}")]
    [InlineData(null)]
    public async Task A_bad_cache_file_or_entry_counts_as_missing(string? content)
    {
        var dir = TestEnvironment.NewTempDir("extlayer");
        var cache = Path.Combine(dir, "cache.json");
        if (content is null) Directory.CreateDirectory(cache); else File.WriteAllText(cache, content);
        var zip = Zip(smallFiles: 5, bigFileBytes: 1000, out var unzipped);
        using var server = new ZipServer(zip);

        var result = await ExternalLayerSizer.MeasureAsync(Arn, cache, CliAnswering(dir, server.Url + "layer.zip"));
        result.UnzippedBytes.ShouldBe(unzipped);
        Runs(dir).ShouldBe(1);
    }

    [Fact]
    public async Task The_region_comes_from_the_arn_not_the_cli_configuration()
    {
        var dir = TestEnvironment.NewTempDir("extlayer");
        var cli = FakeCli(dir, "echo '{}'");
        var env = new Dictionary<string, string?> { ["AWS_REGION"] = "us-east-1", ["AWS_DEFAULT_REGION"] = "us-east-1" };
        await ExternalLayerSizer.MeasureAsync("arn:aws:lambda:eu-west-2:123456789012:layer:shared-utils:7", Path.Combine(dir, "cache.json"), cli, awsEnvironment: env);
        var args = File.ReadAllLines(Path.Combine(dir, "args.txt"));
        args.ShouldContain("--region");
        args[Array.IndexOf(args, "--region") + 1].ShouldBe("eu-west-2");
        args[Array.IndexOf(args, "--cli-connect-timeout") + 1].ShouldBe("10");
        args[Array.IndexOf(args, "--cli-read-timeout") + 1].ShouldBe("30");
    }

    [Fact]
    public void A_layer_from_outside_the_template_that_breaks_the_limit_is_named_among_the_biggest()
    {
        const string big = "arn:aws:lambda:us-east-1:123456789012:layer:big:3";
        var fn = new ArtifactReport("Fn", ArtifactReport.FunctionKind, "python3.11", "x86_64", "functions/Fn.zip", 12_000_000, 4_000_000, 10, "00",
            [new DistributionSize("requests", "2.32.0", 2_000_000)]);
        var total = new FunctionTotalReport("Fn", "app.handler", [new FunctionLayerReport(big, true, 255_000_000)], 267_000_000, false);
        var report = new BuildReport("lambdaslim", "0", "template.yaml", "zlib", [], [fn], [total]);

        var error = LimitCheck.Check(report).Where(f => f.Severity == Severity.Error).ShouldHaveSingleItem();
        error.Message.ShouldContain("biggest: layer " + big + " (from outside the template) 255.0 MB (");
    }
}
