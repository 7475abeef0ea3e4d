using System.IO.Compression;
using System.Security.Cryptography;
using LambdaSlim.Aws;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Tests.Aws;

/// <summary>
/// The pieces together against moto: a built plain template's zip goes to S3, the template is rewritten to point at
/// it, and a change set deploys it; the function Lambda then reports is that zip. A second run uploads nothing and has
/// no changes.
/// </summary>
[Trait("Category", "Integration")]
public class PlainTemplateDeployTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Built = """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          PredictRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: {Service: lambda.amazonaws.com}
                    Action: sts:AssumeRole
          PredictFunction:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: predict-plain
              Code: functions/PredictFunction.zip
              Handler: app.handler
              Runtime: python3.12
              Role: !GetAtt PredictRole.Arn
        """;

    private static async Task<(IReadOnlyList<S3Artifact> Uploads, PreparedChangeSet ChangeSet, StackProgress? Outcome)> Deploy(AwsSession session, string template, string zip)
    {
        using var bucket = await ArtifactBucket.OpenAsync(session, null, "plain", new RecordingObserver());
        var artifact = await bucket.UploadAsync(zip);
        var packaged = S3TemplateRewriter.Rewrite(template, new Dictionary<string, S3Artifact> { [zip] = artifact });
        packaged.LocalPaths.ShouldBeEmpty();
        using var cfn = new CloudFormationClient(session);
        var deployer = new ChangeSetDeployer(cfn, new RecordingObserver(), TimeSpan.FromMilliseconds(50));
        var type = await deployer.ChangeSetTypeForAsync("plain");
        var prepared = await deployer.PrepareAsync(new ChangeSetRequest("plain", $"lambdaslim-{Guid.NewGuid():N}"[..20], type) { TemplateBody = packaged.Yaml });
        var outcome = prepared.Verdict == ChangeSetVerdict.Ready ? await deployer.ExecuteAsync(prepared) : null;
        return ([artifact], prepared, outcome);
    }

    [Fact]
    public async Task A_built_zip_goes_to_S3_and_the_rewritten_template_deploys_it_then_a_second_run_changes_nothing()
    {
        var dir = TestEnvironment.NewTempDir("plain");
        var zip = Path.Combine(dir, "functions", "PredictFunction.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(zip)!);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("app.py").Open());
            writer.Write("def handler(event, context):\n    return 42\n");
        }
        var template = Path.Combine(dir, "template.yaml");
        await File.WriteAllTextAsync(template, Built);
        var session = MotoSessions.Open(moto);

        var first = await Deploy(session, template, zip);

        first.Uploads.ShouldAllBe(u => u.Uploaded);
        first.Outcome.ShouldNotBeNull().FinalStatus.ShouldBe("CREATE_COMPLETE");
        using (var lambda = new LambdaClient(session))
        {
            var function = (await lambda.GetFunctionAsync("predict-plain")).ShouldNotBeNull();
            function.CodeSha256.ShouldBe(Convert.ToBase64String(SHA256.HashData(await File.ReadAllBytesAsync(zip))));
        }

        var second = await Deploy(session, template, zip);

        second.Uploads.ShouldAllBe(u => !u.Uploaded);
        second.ChangeSet.Verdict.ShouldBe(ChangeSetVerdict.NoChanges);
        second.Outcome.ShouldBeNull();
    }
}
