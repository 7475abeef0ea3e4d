using System.Text.Json;

namespace LambdaSlim.Tests.Cli;

/// <summary>`lambdaslim policy` prints a least-privilege IAM policy for deploying a template: valid JSON that names every resource the deploy touches, and no wildcard service.</summary>
public class PolicyCommandTests
{
    [Fact]
    public async Task The_policy_for_the_example_is_valid_JSON_naming_every_resource_the_deploy_touches()
    {
        var (code, stdout, err) = await CliHarness.Run("policy", "-p", TestEnvironment.ExampleDir, "--stack-name", "item-prediction",
            "--environment", "staging", "--region", "eu-west-1", "--account", "123456789012");

        code.ShouldBe(0, err);
        using var policy = JsonDocument.Parse(stdout);
        policy.RootElement.GetProperty("Version").GetString().ShouldBe("2012-10-17");
        var statements = policy.RootElement.GetProperty("Statement").EnumerateArray().ToList();
        var actions = statements.SelectMany(s => s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)).ToList();
        var resources = statements.SelectMany(s => s.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()!)).ToList();

        actions.ShouldNotContain(a => a.EndsWith(":*", StringComparison.Ordinal) || a == "*", "no service-wide wildcard, unlike the seed's lambda:*, s3:*, cloudformation:*");
        actions.ShouldContain("cloudformation:GetTemplate", "deploy --layers-first compares with the stack's template");
        statements.Single(s => s.GetProperty("Sid").GetString() == "SyncFindsLayerVersions").GetProperty("Action").EnumerateArray().Select(a => a.GetString())
            .ShouldContain("lambda:ListLayerVersions", "sync compares each layer with its latest version");
        resources.ShouldContain("arn:aws:s3:::lambdaslim-artifacts-123456789012-eu-west-1");
        resources.ShouldContain("arn:aws:cloudformation:eu-west-1:123456789012:stack/item-prediction/*");
        foreach (var function in new[] { "data-validation", "feature-engineering", "predictions" })
            resources.ShouldContain($"arn:aws:lambda:eu-west-1:123456789012:function:item-prediction-{function}");
        foreach (var layer in new[] { "item-prediction-core-data-science-staging", "item-prediction-ml-libraries-staging", "item-prediction-aws-utilities" })
            resources.ShouldContain($"arn:aws:lambda:eu-west-1:123456789012:layer:{layer}:*");
        resources.ShouldContain("arn:aws:dynamodb:eu-west-1:123456789012:table/item-prediction-items");
        resources.ShouldContain("arn:aws:s3:::item-prediction-models-staging-123456789012-eu-west-1");
        var passRole = statements.Single(s => s.GetProperty("Action").EnumerateArray().Any(a => a.GetString() == "iam:PassRole"));
        passRole.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()).ShouldAllBe(r => r!.StartsWith("arn:aws:iam::123456789012:role/item-prediction-", StringComparison.Ordinal));
        passRole.GetProperty("Condition").GetProperty("StringEquals").GetProperty("iam:PassedToService").GetString().ShouldBe("lambda.amazonaws.com");
    }

    [Fact]
    public async Task A_role_given_by_ARN_is_the_only_role_the_policy_lets_the_deployer_pass()
    {
        var dir = TestEnvironment.NewTempDir("policy");
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(e, c):\n    return 1\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.12, Role: "arn:aws:iam::123456789012:role/existing",
                             Layers: ["arn:aws:lambda:eu-west-2:210987654321:layer:shared:3"]}
              Queue:
                Type: AWS::SQS::Queue
              Odd:
                Type: AWS::Kinesis::Stream
                Properties: {ShardCount: 1}
            """);

        var (code, stdout, err) = await CliHarness.Run("policy", "-p", dir, "--stack-name", "small");

        code.ShouldBe(0, err);
        using var policy = JsonDocument.Parse(stdout);
        var statements = policy.RootElement.GetProperty("Statement").EnumerateArray().ToList();
        statements.Single(s => s.GetProperty("Sid").GetString() == "PassRolesToLambda").GetProperty("Resource").EnumerateArray().Select(r => r.GetString())
            .ShouldBe(["arn:aws:iam::123456789012:role/existing"]);
        statements.ShouldContain(s => s.GetProperty("Sid").GetString() == "QueueResources");
        var external = statements.Single(s => s.GetProperty("Sid").GetString() == "LayersGivenByArn");
        external.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).ShouldBe(["lambda:GetLayerVersion"], "the build measures it");
        external.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()).ShouldBe(["arn:aws:lambda:eu-west-2:210987654321:layer:shared:3"]);
        err.ShouldContain("AWS::Kinesis::Stream, which this policy does not cover");
    }

    [Fact]
    public async Task Policy_without_a_stack_name_is_a_usage_error()
    {
        var (code, _, err) = await CliHarness.Run("policy", "-p", TestEnvironment.ExampleDir);

        code.ShouldBe(2);
        err.ShouldContain("--stack-name is required");
    }
}
