using Amazon.Runtime;
using Amazon.S3;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Aws;

/// <summary>
/// `lambdaslim deploy` against moto, through the real CLI: it builds, puts every zip in S3 under its sha256, creates
/// and executes a change set and follows the stack to its end; a second deploy uploads nothing and says "no changes".
/// </summary>
[Trait("Category", "Integration")]
public class DeployCommandTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly string[] Offline = ["--no-index", "--find-links", TestEnvironment.Wheelhouse, "--platform", "linux_x86_64"];

    [Fact]
    public async Task Deploy_builds_uploads_by_sha256_and_creates_the_stack_then_a_second_deploy_changes_nothing()
    {
        var dir = TestProjects.Dates();
        const string Bucket = "deploy-test-artifacts";
        using (var s3 = S3()) await s3.PutBucketAsync(Bucket); // a bucket named with --s3-bucket must exist; only the default one is created

        var first = CliProcess.Run(moto.ClientEnvironment, ["deploy", "-p", dir, "--stack-name", "dates", "--s3-bucket", Bucket, "--s3-prefix", "app", .. Offline]);

        first.Code.ShouldBe(0, first.Err);
        first.Err.ShouldContain("stack dates: CREATE_COMPLETE");
        first.Out.ShouldContain("AWS::Serverless::Function");
        var report = BuildReport.TryLoad(new BuildPaths(dir).Report).ShouldNotBeNull();
        using (var s3 = S3())
        {
            var keys = (await s3.ListObjectsV2Async(new() { BucketName = Bucket })).S3Objects.Select(o => o.Key).ToList();
            keys.ShouldBe(report.Layers.Concat(report.Functions).Select(a => $"app/{a.Sha256}.zip").Order(StringComparer.Ordinal).ToList(), ignoreOrder: true);
        }
        var deployed = File.ReadAllText(Path.Combine(dir, ".lambdaslim", "deploy", "dates", "template.yaml"));
        deployed.ShouldContain($"s3://{Bucket}/app/{report.Layers.Single().Sha256}.zip");

        var second = CliProcess.Run(moto.ClientEnvironment, ["deploy", "-p", dir, "--stack-name", "dates", "--s3-bucket", Bucket, "--s3-prefix", "app", .. Offline]);

        second.Code.ShouldBe(0, second.Err);
        second.Err.ShouldContain("no changes: stack dates is already what this build deploys");
        second.Err.ShouldContain("(0 uploaded now)");
    }

    private AmazonS3Client S3() => new(new BasicAWSCredentials("testing", "testing"),
        new AmazonS3Config { ServiceURL = moto.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    [Fact]
    public void Without_credentials_deploy_says_which_sources_it_tried_and_exits_4()
    {
        var dir = TestProjects.Dates();
        var environment = new Dictionary<string, string>(moto.ClientEnvironment) { ["AWS_ACCESS_KEY_ID"] = "", ["AWS_SECRET_ACCESS_KEY"] = "" };

        var result = CliProcess.Run(environment, ["deploy", "-p", dir, "--stack-name", "dates", .. Offline]);

        result.Code.ShouldBe(4, result.Err);
        result.Err.ShouldContain("no AWS credentials found (tried environment");
    }

    [Fact]
    public void Deploy_without_a_stack_name_is_a_usage_error()
    {
        var result = CliProcess.Run(moto.ClientEnvironment, ["deploy", "-p", TestEnvironment.NewTempDir("nostack")]);

        result.Code.ShouldBe(2);
        result.Err.ShouldContain("--stack-name is required");
    }
}
