using LambdaSlim.Aws;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// The built template, its zips uploaded, becomes the template CloudFormation deploys: S3 locations in the forms
/// `sam package` writes, everything else as written, and real cfn-lint (which runs the SAM transform) accepts it.
/// </summary>
public class S3TemplateRewriterTests
{
    private const string Built = """
        AWSTemplateFormatVersion: "2010-09-09"
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Environment:
            Type: String
            Default: dev
        Resources:
          DepsLayer:
            Type: AWS::Serverless::LayerVersion
            Properties:
              ContentUri: layers/DepsLayer.zip
              CompatibleRuntimes: [python3.12]
          PredictFunction:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: functions/PredictFunction.zip
              Handler: app.handler
              Runtime: python3.12
              FunctionName: !Sub "predict-${Environment}"
              Layers:
                - !Ref DepsLayer
          PlainRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: {Service: lambda.amazonaws.com}
                    Action: sts:AssumeRole
          PlainLayer:
            Type: AWS::Lambda::LayerVersion
            Properties:
              Content: layers/PlainLayer.zip
              CompatibleRuntimes: [python3.12]
          PlainFunction:
            Type: AWS::Lambda::Function
            Properties:
              Code: functions/PlainFunction.zip
              Handler: app.handler
              Runtime: python3.12
              Role: !GetAtt PlainRole.Arn
              Layers: [!Ref PlainLayer]
        """;

    private static (string Template, Dictionary<string, S3Artifact> Artifacts) BuiltFolder(string template = Built)
    {
        var dir = TestEnvironment.NewTempDir("built");
        var artifacts = new Dictionary<string, S3Artifact>();
        foreach (var zip in new[] { "layers/DepsLayer.zip", "functions/PredictFunction.zip", "layers/PlainLayer.zip", "functions/PlainFunction.zip" })
        {
            var path = Path.Combine(dir, zip);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, zip);
            var sha = new string((char)('a' + artifacts.Count), 64);
            artifacts[path] = new S3Artifact("artifacts-bucket", $"app/{sha}.zip", sha, 10, Uploaded: true);
        }
        var templatePath = Path.Combine(dir, "template.yaml");
        File.WriteAllText(templatePath, template);
        return (templatePath, artifacts);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Built_zips_become_S3_locations_in_sam_packages_forms_and_cfn_lint_accepts_the_template()
    {
        var (template, artifacts) = BuiltFolder();
        var key = (string zip) => artifacts[Path.Combine(Path.GetDirectoryName(template)!, zip)].Key;

        var packaged = S3TemplateRewriter.Rewrite(template, artifacts);

        packaged.LocalPaths.ShouldBeEmpty();
        packaged.Yaml.ShouldContain($"ContentUri: s3://artifacts-bucket/{key("layers/DepsLayer.zip")}");
        packaged.Yaml.ShouldContain($"CodeUri: s3://artifacts-bucket/{key("functions/PredictFunction.zip")}");
        packaged.Yaml.ShouldContain($"Code:\n        S3Bucket: artifacts-bucket\n        S3Key: {key("functions/PlainFunction.zip")}");
        packaged.Yaml.ShouldContain($"Content:\n        S3Bucket: artifacts-bucket\n        S3Key: {key("layers/PlainLayer.zip")}");
        packaged.Yaml.ShouldContain("FunctionName: !Sub \"predict-${Environment}\"");
        packaged.Yaml.ShouldContain("Role: !GetAtt PlainRole.Arn");
        packaged.Yaml.ShouldContain("- !Ref DepsLayer");

        var written = Path.Combine(TestEnvironment.NewTempDir("packaged"), "packaged.yaml");
        File.WriteAllText(written, packaged.Yaml);
        var (code, output) = CfnLint.Run(written);
        code.ShouldBe(0, output);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void A_layer_shared_with_an_account_and_an_organization_gets_one_permission_each_and_cfn_lint_accepts_it()
    {
        var (template, artifacts) = BuiltFolder();

        var packaged = S3TemplateRewriter.Rewrite(template, artifacts,
            new Dictionary<string, IReadOnlyList<string>> { ["DepsLayer"] = ["123456789012", "o-a1b2c3d4e5"] });

        packaged.Yaml.ShouldContain("""
              DepsLayerShare1:
                Type: AWS::Lambda::LayerVersionPermission
                Properties:
                  Action: lambda:GetLayerVersion
                  LayerVersionArn: !Ref DepsLayer
                  Principal: "123456789012"
            """.Replace("\r", "", StringComparison.Ordinal));
        packaged.Yaml.ShouldContain("""
                  Principal: "*"
                  OrganizationId: o-a1b2c3d4e5
            """.Replace("\r", "", StringComparison.Ordinal));
        var written = Path.Combine(TestEnvironment.NewTempDir("shared"), "packaged.yaml");
        File.WriteAllText(written, packaged.Yaml);
        var (code, output) = CfnLint.Run(written);
        code.ShouldBe(0, output);
    }

    [Fact]
    public void A_local_path_that_no_upload_covers_is_reported_not_left_silently()
    {
        var (template, artifacts) = BuiltFolder(Built + """

              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
                  DefinitionUri: api/openapi.yaml
            """);
        artifacts.Remove(artifacts.Keys.Single(k => k.EndsWith("PlainLayer.zip", StringComparison.Ordinal)));

        var packaged = S3TemplateRewriter.Rewrite(template, artifacts);

        packaged.LocalPaths.ShouldBe(["PlainLayer.Content: layers/PlainLayer.zip", "Api.DefinitionUri: api/openapi.yaml"], ignoreOrder: true);
    }
}
