using LambdaSlim.Aws;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;
using LambdaSlim.Tests.Aws;
using LambdaSlim.Validate;

namespace LambdaSlim.Tests.Audit;

/// <summary>`lambdaslim audit LAYER_ARN`: looked up through the Lambda client (moto here), downloaded and audited as a layer.</summary>
[Trait("Category", "Integration")]
public sealed class LayerArnAuditTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly MotoLayerProxy _proxy = new(moto);

    public void Dispose() => _proxy.Dispose();

    [Fact]
    public async Task A_layer_arn_is_looked_up_in_its_region_downloaded_and_audited_as_a_layer()
    {
        var so = BuiltZipAuditTests.MachineExtensionModule();
        var zip = BuiltZipAuditTests.Zip("layer.zip", ($"python/{Path.GetFileName(so)}", so));
        var arn = await _proxy.PublishAsync("eu-central-1", "crypto", File.ReadAllBytes(zip));
        var environment = new Dictionary<string, string>(moto.ClientEnvironment) { ["XDG_CACHE_HOME"] = TestEnvironment.NewTempDir("xdg") };
        environment.Remove("AWS_ENDPOINT_URL");

        var (code, stdout, stderr) = CliProcess.Run(environment, "audit", arn, "--runtime", "python3.12", "--arch", "arm64", "--endpoint-url", _proxy.Endpoint);

        code.ShouldBe(1, stderr);
        stdout.ShouldContain($"layer {arn}: 1 finding");
        stdout.ShouldContain("but the function runs on arm64");
    }

    [Fact]
    public async Task A_layer_arn_without_credentials_is_a_configuration_error_naming_the_sources_tried()
    {
        var environment = new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = "/dev/null", ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null", ["AWS_EC2_METADATA_DISABLED"] = "true" };

        var e = await Should.ThrowAsync<LambdaSlimException>(() => LayerDownload.AuditAsync("arn:aws:lambda:eu-west-1:123456789012:layer:crypto:3",
            PythonRuntimes.Parse("python3.12", "test"), Architecture.X86_64, new RecordingObserver(), CancellationToken.None,
            AwsOptions.Default with { EndpointUrl = _proxy.Endpoint }, k => environment.GetValueOrDefault(k)));

        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.Message.ShouldStartWith("cannot look up arn:aws:lambda:eu-west-1:123456789012:layer:crypto:3: no AWS credentials found (tried environment");
    }
}
