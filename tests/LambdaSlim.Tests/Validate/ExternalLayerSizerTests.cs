using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LambdaSlim.Aws;
using LambdaSlim.Model;
using LambdaSlim.Tests.Aws;
using LambdaSlim.Validate;

namespace LambdaSlim.Tests.Validate;

/// <summary>
/// Layers given by ARN, measured through the Lambda client against a real moto server (layer versions published there
/// from a real zip in its S3; <see cref="MotoLayerProxy"/> fills in the download URL moto leaves blank). Faults moto
/// cannot produce (access denied, throttling, an endpoint or download that never answers, a server that ignores
/// ranges) come from small local servers.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ExternalLayerSizerTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly MotoLayerProxy _proxy = new(moto);

    public void Dispose() => _proxy.Dispose();

    /// <summary>Fake keys, us-east-1 as the configured region (the ARNs below are elsewhere), nothing from the user's files or an instance role.</summary>
    private static readonly Dictionary<string, string> Credentials = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "testing", ["AWS_SECRET_ACCESS_KEY"] = "testing", ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_CONFIG_FILE"] = "/dev/null", ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null", ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    private static Func<string, string?> Env(Dictionary<string, string> environment) => k => environment.GetValueOrDefault(k);

    private static AwsOptions At(string endpoint, int attempts = 6) =>
        AwsOptions.Default with { EndpointUrl = endpoint, MaxAttempts = attempts, RetryBaseDelay = TimeSpan.FromMilliseconds(5), RetryMaxDelay = TimeSpan.FromMilliseconds(20) };

    private Task<ExternalLayerSize> Measure(string arn, string cache, string? endpoint = null, Dictionary<string, string>? environment = null,
        ExternalLayerSizerLimits? limits = null, int attempts = 6, CancellationToken cancellationToken = default) =>
        ExternalLayerSizer.MeasureAsync(arn, cache, At(endpoint ?? _proxy.Endpoint, attempts), Env(environment ?? Credentials), cancellationToken: cancellationToken, limits: limits);

    private static string Cache() => Path.Combine(TestEnvironment.NewTempDir("extlayer"), "cache.json");

    private static readonly ExternalLayerSizerLimits Short = new()
    {
        Lookup = TimeSpan.FromSeconds(3), HttpConnect = TimeSpan.FromSeconds(2), HttpTotal = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task Build_measures_a_layer_published_in_moto_by_its_arn_with_the_endpoint_url_and_reports_its_real_unzipped_size()
    {
        var zip = Zip(smallFiles: 40, bigFileBytes: 300_000, out var unzipped);
        using (var archive = new ZipArchive(new MemoryStream(zip))) archive.Entries.Sum(e => e.Length).ShouldBe(unzipped);
        var arn = await _proxy.PublishAsync("eu-west-2", "shared-utils", zip);
        arn.ShouldStartWith("arn:aws:lambda:eu-west-2:123456789012:layer:shared-utils:");
        var dir = TestEnvironment.NewTempDir("extbuild");
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(event, context):\n    return 1\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), $$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.11, Layers: ["{{arn}}"]}
            """);
        var cacheHome = TestEnvironment.NewTempDir("xdg");
        var environment = new Dictionary<string, string>(Credentials) { ["XDG_CACHE_HOME"] = cacheHome };

        var build = CliProcess.Run(environment, "build", "-p", dir, "--endpoint-url", _proxy.Endpoint);

        build.Code.ShouldBe(0, build.Err);
        var report = BuildReport.TryLoad(new BuildPaths(dir).Report).ShouldNotBeNull();
        var layer = report.Totals.Single().Layers.ShouldHaveSingleItem();
        layer.Name.ShouldBe(arn);
        layer.External.ShouldBeTrue();
        layer.UnzippedBytes.ShouldBe(unzipped);
        report.Totals.Single().TotalIsLowerBound.ShouldBeFalse();
        var cached = JsonNode.Parse(File.ReadAllText(Path.Combine(cacheHome, "lambdaslim", "external-layers.json")))!;
        cached["layers"]![arn]!["unzippedBytes"]!.GetValue<long>().ShouldBe(unzipped);
    }

    [Fact]
    public async Task The_region_comes_from_the_arn_and_a_version_that_is_not_there_is_unknown_with_the_reason()
    {
        var zip = Zip(smallFiles: 5, bigFileBytes: 1000, out var unzipped);
        var arn = await _proxy.PublishAsync("ap-southeast-2", "regional", zip);

        (await Measure(arn, Cache())).UnzippedBytes.ShouldBe(unzipped, "found in ap-southeast-2 although the configured region is us-east-1");
        var missing = await Measure(arn[..arn.LastIndexOf(':')] + ":99", Cache());
        missing.UnzippedBytes.ShouldBeNull();
        missing.Reason.ShouldBe($"GetLayerVersionByArn found no layer version {arn[..arn.LastIndexOf(':')]}:99 in ap-southeast-2");
    }

    [Fact]
    public async Task Downloads_the_layer_once_measures_it_unzipped_and_caches_by_arn()
    {
        var zip = Zip(smallFiles: 10, bigFileBytes: 250_000, out var unzipped);
        var arn = await _proxy.PublishAsync("us-east-1", "cached-once", zip);
        var cache = Cache();

        var first = await Measure(arn, cache);
        first.UnzippedBytes.ShouldBe(unzipped);
        first.Reason.ShouldBeNull();
        var again = await Measure(arn, cache, endpoint: "http://127.0.0.1:1");
        again.UnzippedBytes.ShouldBe(unzipped, "the second lookup comes from the cache: the endpoint given now is closed");
    }

    [Fact]
    public async Task A_big_layer_is_measured_from_its_central_directory_without_downloading_it()
    {
        var zip = Zip(smallFiles: 3000, bigFileBytes: 3_000_000, out var unzipped);
        var arn = await _proxy.PublishAsync("us-east-1", "big", zip);
        using var server = new ZipServer(zip);
        _proxy.Locations[arn] = server.Url + "layer.zip?X-Amz-Signature=abc";

        var result = await Measure(arn, Cache());

        result.Reason.ShouldBeNull();
        result.UnzippedBytes.ShouldBe(unzipped);
        server.Served.ShouldBeLessThan(zip.Length / 5, "only the tail and the central directory are fetched");
    }

    [Fact]
    public async Task A_server_that_ignores_ranges_is_downloaded_but_never_beyond_what_a_layer_can_be()
    {
        var zip = Zip(smallFiles: 10, bigFileBytes: 500_000, out var unzipped);
        var arn = await _proxy.PublishAsync("us-east-1", "no-ranges", zip);
        using var server = new ZipServer(zip, ranges: false);
        _proxy.Locations[arn] = server.Url + "layer.zip";
        (await Measure(arn, Cache())).UnzippedBytes.ShouldBe(unzipped);

        var capped = await Measure(arn, Cache(), limits: new ExternalLayerSizerLimits { MaxZipBytes = 100_000 });
        capped.UnzippedBytes.ShouldBeNull();
        capped.Reason!.ShouldContain("more than a layer can be");
    }

    [Fact]
    public async Task An_aws_endpoint_that_never_answers_gives_an_unknown_size_not_a_hang_or_a_cancel()
    {
        using var silent = new SilentServer();
        var result = await Measure("arn:aws:lambda:us-east-1:123456789012:layer:shared-utils:7", Cache(), endpoint: silent.Url, limits: Short);
        result.UnzippedBytes.ShouldBeNull();
        result.Reason.ShouldBe("GetLayerVersionByArn timed out after 3 s");

        // Only the caller's token cancels.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Should.ThrowAsync<OperationCanceledException>(() =>
            Measure("arn:aws:lambda:us-east-1:123456789012:layer:shared-utils:7", Cache(), endpoint: silent.Url, cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task A_download_that_never_answers_times_out_with_a_reason_not_a_cancel()
    {
        var arn = await _proxy.PublishAsync("us-east-1", "silent-download", Zip(smallFiles: 1, bigFileBytes: 10, out _));
        using var silent = new SilentServer();
        _proxy.Locations[arn] = silent.Url + "/layer.zip";

        var result = await Measure(arn, Cache(), limits: Short);

        result.UnzippedBytes.ShouldBeNull();
        result.Reason.ShouldBe("downloading the layer timed out after 2 s");
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_remembered_for_an_hour_and_then_tried_again()
    {
        var zip = Zip(smallFiles: 3, bigFileBytes: 100, out var unzipped);
        var arn = await _proxy.PublishAsync("us-east-1", "unreachable", zip);
        var cache = Cache();
        string closed;
        using (var port = new TcpListener(IPAddress.Loopback, 0))
        {
            port.Start();
            closed = $"http://127.0.0.1:{((IPEndPoint)port.LocalEndpoint).Port}";
        }

        var first = await Measure(arn, cache, endpoint: closed, attempts: 2);
        first.Reason!.ShouldStartWith($"cannot reach {closed} for lambda GetLayerVersionByArn after 2 attempts");
        var second = await Measure(arn, cache);
        second.UnzippedBytes.ShouldBeNull("the second build does not ask again, although the endpoint now answers");
        second.Reason!.ShouldContain("(cached failure from ");
        second.Reason!.ShouldContain("; retried after ");

        var written = JsonNode.Parse(File.ReadAllText(cache))!;
        written["layers"]![arn]!["failedAt"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(cache, written.ToJsonString());
        (await Measure(arn, cache)).UnzippedBytes.ShouldBe(unzipped, "after an hour it is tried again");
    }

    [Fact]
    public async Task Without_credentials_the_size_is_unknown_naming_the_sources_tried_and_the_next_build_asks_again()
    {
        var zip = Zip(smallFiles: 3, bigFileBytes: 100, out var unzipped);
        var arn = await _proxy.PublishAsync("us-east-1", "no-credentials", zip);
        var cache = Cache();
        var none = new Dictionary<string, string>(Credentials);
        none.Remove("AWS_ACCESS_KEY_ID");
        none.Remove("AWS_SECRET_ACCESS_KEY");

        var first = await Measure(arn, cache, environment: none);

        first.UnzippedBytes.ShouldBeNull();
        first.Reason!.ShouldStartWith("no AWS credentials found (tried environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); ");
        first.Reason!.ShouldNotContain("\n");
        (await Measure(arn, cache)).UnzippedBytes.ShouldBe(unzipped, "credentials set since are used at once: the failure cost no wait, so it is not remembered");
    }

    [Fact]
    public async Task Access_denied_is_one_line_and_not_remembered_and_throttling_is_retried()
    {
        var zip = Zip(smallFiles: 3, bigFileBytes: 100, out var unzipped);
        var arn = await _proxy.PublishAsync("us-east-1", "denied", zip);
        var cache = Cache();
        using (var denied = new FakeAwsEndpoint((403, FakeAwsEndpoint.QueryError("AccessDeniedException", "User is not authorized to perform: lambda:GetLayerVersion"))))
        {
            var result = await Measure(arn, cache, endpoint: denied.Endpoint);
            result.UnzippedBytes.ShouldBeNull();
            result.Reason.ShouldBe("AWS denied lambda GetLayerVersionByArn to the credentials from environment variables (AccessDeniedException: User is not authorized to perform: lambda:GetLayerVersion)");
        }

        using var server = new ZipServer(zip);
        var answer = $$"""{"Content": {"Location": "{{server.Url}}layer.zip", "CodeSize": {{zip.Length}}}, "LayerVersionArn": "{{arn}}", "Version": 1}""";
        var throttled = (429, FakeAwsEndpoint.QueryError("TooManyRequestsException", "Rate exceeded"));
        using var throttling = new FakeAwsEndpoint(throttled, throttled, (200, answer));
        (await Measure(arn, cache, endpoint: throttling.Endpoint)).UnzippedBytes.ShouldBe(unzipped, "asked again: a refusal is not remembered; the throttling was retried");
        throttling.Authorizations.Count.ShouldBe(3);
        throttling.Authorizations.ShouldAllBe(a => a.Contains("/us-east-1/lambda/aws4_request"));
    }

    [Fact]
    public async Task Something_that_is_not_a_literal_arn_is_not_looked_up()
    {
        (await Measure("!ImportValue SharedLayer", Cache())).Reason!.ShouldContain("not a literal layer version ARN");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"version\": 2, \"layers\": {\"ARN\": {\"unzippedBytes\": -5}}}")]
    [InlineData("{\"ARN\": -5}")]
    [InlineData("{\"version\": 2, \"layers\": {\"ARN\": \"big\"}}")]
    [InlineData("{\"version\": 99, \"layers\": {\"ARN\": {\"unzippedBytes\": 5}}}")]
    [InlineData(null)]
    public async Task A_bad_cache_file_or_entry_counts_as_missing(string? content)
    {
        var zip = Zip(smallFiles: 5, bigFileBytes: 1000, out var unzipped);
        var arn = await _proxy.PublishAsync("us-east-1", "bad-cache", zip);
        var cache = Cache();
        if (content is null) Directory.CreateDirectory(cache); else File.WriteAllText(cache, content.Replace("ARN", arn, StringComparison.Ordinal));

        (await Measure(arn, cache)).UnzippedBytes.ShouldBe(unzipped);
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
