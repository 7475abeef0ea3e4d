using System.IO.Compression;
using System.Security.Cryptography;
using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

/// <summary>The Lambda client against a real moto server, on layers published there by the AWS CLI.</summary>
[Trait("Category", "Integration")]
public class LambdaClientTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private string PublishLayer(string name, string content)
    {
        var zip = Path.Combine(TestEnvironment.NewTempDir("layer"), "layer.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("python/deps.py").Open());
            writer.Write(content);
        }
        var (code, output) = moto.Aws("lambda", "publish-layer-version", "--layer-name", name, "--zip-file", $"fileb://{zip}",
            "--compatible-runtimes", "python3.12", "--compatible-architectures", "x86_64", "--description", content.Trim());
        code.ShouldBe(0, output);
        return zip;
    }

    [Fact]
    public async Task A_published_layer_is_found_by_its_ARN_with_its_size_and_hash()
    {
        var zip = PublishLayer("deps-by-arn", "x = 1\n");
        using var lambda = new LambdaClient(MotoSessions.Open(moto));

        var layer = await lambda.GetLayerVersionByArnAsync("arn:aws:lambda:us-east-1:123456789012:layer:deps-by-arn:1");

        layer.ShouldNotBeNull();
        layer.Version.ShouldBe(1);
        layer.CodeSize.ShouldBe(new FileInfo(zip).Length);
        layer.CodeSha256.ShouldBe(Convert.ToBase64String(SHA256.HashData(File.ReadAllBytes(zip))));
        layer.CompatibleRuntimes.ShouldBe(["python3.12"]);
        (await lambda.GetLayerVersionByArnAsync("arn:aws:lambda:us-east-1:123456789012:layer:deps-by-arn:9")).ShouldBeNull();
    }

    [Fact]
    public async Task Listing_a_layer_gives_every_version_and_a_missing_function_is_null()
    {
        PublishLayer("deps-listed", "x = 1\n");
        PublishLayer("deps-listed", "x = 2\n");
        using var lambda = new LambdaClient(MotoSessions.Open(moto));

        var versions = await lambda.ListLayerVersionsAsync("deps-listed");

        versions.Select(v => v.Version).Order().ShouldBe([1L, 2L]);
        versions.ShouldAllBe(v => v.LayerVersionArn.StartsWith("arn:aws:lambda:us-east-1:123456789012:layer:deps-listed:"));
        (await lambda.GetFunctionAsync("no-such-function")).ShouldBeNull();
    }

    [Fact]
    public async Task A_function_is_described_with_its_code_size_runtime_and_layers()
    {
        var layerZip = PublishLayer("deps-of-fn", "y = 1\n");
        var (roleCode, roleOutput) = moto.Aws("iam", "create-role", "--role-name", "predict-role", "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        roleCode.ShouldBe(0, roleOutput);
        var (code, output) = moto.Aws("lambda", "create-function", "--function-name", "predict", "--runtime", "python3.12", "--handler", "deps.handler",
            "--role", "arn:aws:iam::123456789012:role/predict-role", "--zip-file", $"fileb://{layerZip}",
            "--layers", "arn:aws:lambda:us-east-1:123456789012:layer:deps-of-fn:1", "--architectures", "arm64");
        code.ShouldBe(0, output);
        using var lambda = new LambdaClient(MotoSessions.Open(moto));

        var function = (await lambda.GetFunctionAsync("predict")).ShouldNotBeNull();

        function.FunctionArn.ShouldBe("arn:aws:lambda:us-east-1:123456789012:function:predict");
        function.Runtime.ShouldBe("python3.12");
        function.Handler.ShouldBe("deps.handler");
        function.CodeSize.ShouldBe(new FileInfo(layerZip).Length);
        function.CodeSha256.ShouldBe(Convert.ToBase64String(SHA256.HashData(File.ReadAllBytes(layerZip))));
        function.LayerArns.ShouldBe(["arn:aws:lambda:us-east-1:123456789012:layer:deps-of-fn:1"]);
        function.Architectures.ShouldBe(["arm64"]);
    }
}
