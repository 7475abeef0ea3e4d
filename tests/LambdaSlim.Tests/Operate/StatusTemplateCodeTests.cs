using LambdaSlim.Operate;

namespace LambdaSlim.Tests.Operate;

public class StatusTemplateCodeTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void The_deployed_code_is_read_from_SAM_CodeUri_and_plain_Code_S3Key_in_YAML()
    {
        var code = StatusTemplateCode.Read($$$"""
            Resources:
              Api:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: s3://bucket/app/{{{Sha}}}.zip, Handler: app.handler}
              Worker:
                Type: AWS::Lambda::Function
                Properties:
                  Code: {S3Bucket: bucket, S3Key: {{{Sha}}}.zip}
                  Role: !GetAtt Role.Arn
              Legacy:
                Type: AWS::Lambda::Function
                Properties: {Code: {S3Bucket: bucket, S3Key: legacy/build-42.zip}}
            """);

        code.ShouldBe(new Dictionary<string, string> { ["Api"] = Sha, ["Worker"] = Sha }, ignoreOrder: true);
    }

    [Fact]
    public void A_JSON_template_reads_the_same_and_a_broken_one_names_nothing()
    {
        StatusTemplateCode.Read("""{"Resources": {"Api": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Bucket": "b", "S3Key": "p/SHA.zip"}}}}}""".Replace("SHA", Sha, StringComparison.Ordinal))
            .ShouldBe(new Dictionary<string, string> { ["Api"] = Sha });
        StatusTemplateCode.Read("Resources: [unclosed").ShouldBeEmpty();
    }
}
