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

    /// <summary>A plain AWS::Lambda::Function (moto runs no SAM transform, so only a plain one becomes a real function there).</summary>
    private static string PlainProject(string answer, string functionName = "answer") =>
        PlainStack.Project("rollback", PlainStack.Template(PlainStack.Function(functionName)), ("src/app.py", $"def handler(event, context):\n    return {answer}\n"));

    [Fact]
    public async Task Rollback_deploys_again_the_release_before_the_last_good_one()
    {
        var dir = PlainProject("1");
        string[] Deploy() => ["deploy", "-p", dir, "--stack-name", "answer", "--enable-rollback", .. Offline];
        var first = CliProcess.Run(moto.ClientEnvironment, Deploy());
        first.Code.ShouldBe(0, first.Err);
        var firstSha = BuildReport.TryLoad(new BuildPaths(dir).Report)!.Functions.Single().Sha256;
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(event, context):\n    return 2\n");
        var second = CliProcess.Run(moto.ClientEnvironment, Deploy());
        second.Code.ShouldBe(0, second.Err);
        second.Err.ShouldContain("stack answer: UPDATE_COMPLETE");

        var rollback = CliProcess.Run(moto.ClientEnvironment, "rollback", "-p", dir, "--stack-name", "answer");

        rollback.Code.ShouldBe(0, rollback.Err);
        rollback.Err.ShouldContain("stack answer: UPDATE_COMPLETE, back to the release of");
        using var lambda = new LambdaSlim.Aws.LambdaClient(MotoSessions.Open(moto));
        var function = (await lambda.GetFunctionAsync("answer")).ShouldNotBeNull();
        Convert.FromBase64String(function.CodeSha256.ShouldNotBeNull()).ShouldBe(Convert.FromHexString(firstSha), "the function runs the first release's zip again");
        var again = CliProcess.Run(moto.ClientEnvironment, "rollback", "-p", dir, "--stack-name", "answer");
        again.Code.ShouldBe(3);
        again.Err.ShouldContain("nothing to roll stack answer back to");
    }

    [Fact]
    public void A_template_over_the_body_limit_goes_to_S3_and_CloudFormation_reads_it_from_there()
    {
        var dir = PlainProject("3");
        var template = Path.Combine(dir, "template.yaml");
        // A note longer than CloudFormation takes in a request's template body (51,200 bytes).
        File.WriteAllText(template, File.ReadAllText(template) + $"\nMetadata:\n  Note: {new string('x', 60_000)}\n");

        var result = CliProcess.Run(moto.ClientEnvironment, ["deploy", "-p", dir, "--stack-name", "big", .. Offline]);

        result.Code.ShouldBe(0, result.Err);
        result.Err.ShouldContain("so CloudFormation reads it from");
        result.Err.ShouldContain("stack big: CREATE_COMPLETE");
    }

    [Fact]
    public async Task Rollback_of_a_template_over_the_body_limit_sends_it_through_the_bucket_like_deploy()
    {
        var dir = PlainProject("1", "big-answer");
        var template = Path.Combine(dir, "template.yaml");
        File.WriteAllText(template, File.ReadAllText(template) + $"\nMetadata:\n  Note: {new string('x', 60_000)}\n");
        string[] Deploy() => ["deploy", "-p", dir, "--stack-name", "big-rollback", "--enable-rollback", .. Offline];
        CliProcess.Run(moto.ClientEnvironment, Deploy()).Code.ShouldBe(0);
        var firstSha = BuildReport.TryLoad(new BuildPaths(dir).Report)!.Functions.Single().Sha256;
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(event, context):\n    return 2\n");
        CliProcess.Run(moto.ClientEnvironment, Deploy()).Code.ShouldBe(0);

        var rollback = CliProcess.Run(moto.ClientEnvironment, "rollback", "-p", dir, "--stack-name", "big-rollback");

        rollback.Code.ShouldBe(0, rollback.Err);
        rollback.Err.ShouldContain("so CloudFormation reads it from https://lambdaslim-artifacts-123456789012-us-east-1.s3.us-east-1.amazonaws.com/");
        rollback.Err.ShouldContain("stack big-rollback: UPDATE_COMPLETE, back to the release of");
        var kept = File.ReadAllText(Path.Combine(dir, ".lambdaslim", "deploy", "big-rollback", "rollback.yaml"));
        using (var s3 = S3())
        {
            var key = $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(kept)))}.template";
            using var sent = await s3.GetObjectAsync("lambdaslim-artifacts-123456789012-us-east-1", key);
            (await new StreamReader(sent.ResponseStream).ReadToEndAsync()).ShouldBe(kept);
        }
        using var lambda = new LambdaSlim.Aws.LambdaClient(MotoSessions.Open(moto));
        var function = (await lambda.GetFunctionAsync("big-answer")).ShouldNotBeNull();
        Convert.FromBase64String(function.CodeSha256.ShouldNotBeNull()).ShouldBe(Convert.FromHexString(firstSha), "the function runs the first release's zip again");
    }

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
