using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

/// <summary>
/// A change set CloudFormation fails to create (moto accepts every template, so these are CloudFormation's recorded
/// answers from a local endpoint).
/// </summary>
public class ChangeSetDeployerTests
{
    private const string Ns = "xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"";
    private const string StackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/5e2a";
    private const string ChangeSetId = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/lambdaslim-1/77b1";
    private const string Reason = "Template format error: Unresolved resource dependencies [DepsLayer] in the Resources block of the template";

    private static string Ok(string action, string result = "") =>
        $"<{action}Response {Ns}><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></{action}Response>";

    [Fact]
    public async Task A_change_set_that_fails_shows_CloudFormations_reason_and_is_deleted_with_its_empty_stack()
    {
        using var fake = new FakeAwsEndpoint(
            (200, Ok("CreateChangeSet", $"<Id>{ChangeSetId}</Id><StackId>{StackId}</StackId>")),
            (200, Ok("DescribeChangeSet", $"<ChangeSetId>{ChangeSetId}</ChangeSetId><ChangeSetName>lambdaslim-1</ChangeSetName><StackId>{StackId}</StackId><StackName>app</StackName><Status>CREATE_PENDING</Status><ExecutionStatus>UNAVAILABLE</ExecutionStatus><Changes/>")),
            (200, Ok("DescribeChangeSet", $"<ChangeSetId>{ChangeSetId}</ChangeSetId><ChangeSetName>lambdaslim-1</ChangeSetName><StackId>{StackId}</StackId><StackName>app</StackName><Status>FAILED</Status><ExecutionStatus>UNAVAILABLE</ExecutionStatus><StatusReason>{Reason}</StatusReason><Changes/>")),
            (200, Ok("DeleteChangeSet")),
            (200, Ok("DescribeStacks", $"<Stacks><member><StackId>{StackId}</StackId><StackName>app</StackName><StackStatus>REVIEW_IN_PROGRESS</StackStatus></member></Stacks>")),
            (200, Ok("DeleteStack")));
        var session = AwsSession.Open(AwsOptions.Default with { EndpointUrl = fake.Endpoint },
            k => k switch { "AWS_ACCESS_KEY_ID" => "a", "AWS_SECRET_ACCESS_KEY" => "b", "AWS_REGION" => "us-east-1", _ => null });
        using var cfn = new CloudFormationClient(session);
        var deployer = new ChangeSetDeployer(cfn, new RecordingObserver(), TimeSpan.FromMilliseconds(5));

        var e = await Should.ThrowAsync<LambdaSlimException>(() => deployer.PrepareAsync(new ChangeSetRequest("app", "lambdaslim-1", ChangeSetType.Create) { TemplateBody = "{}" }));

        e.ExitCode.ShouldBe(ExitCode.AwsFailed);
        e.Message.ShouldBe($"CloudFormation could not create the change set for stack 'app': {Reason}");
        e.Hint!.ShouldContain("was deleted");
        fake.Actions.ShouldBe(["CreateChangeSet", "DescribeChangeSet", "DescribeChangeSet", "DeleteChangeSet", "DescribeStacks", "DeleteStack"]);
    }

    [Fact]
    public async Task A_stack_in_ROLLBACK_COMPLETE_must_be_deleted_first()
    {
        using var fake = new FakeAwsEndpoint((200, Ok("DescribeStacks", $"<Stacks><member><StackId>{StackId}</StackId><StackName>app</StackName><StackStatus>ROLLBACK_COMPLETE</StackStatus></member></Stacks>")));
        var session = AwsSession.Open(AwsOptions.Default with { EndpointUrl = fake.Endpoint },
            k => k switch { "AWS_ACCESS_KEY_ID" => "a", "AWS_SECRET_ACCESS_KEY" => "b", "AWS_REGION" => "us-east-1", _ => null });
        using var cfn = new CloudFormationClient(session);

        var e = await Should.ThrowAsync<LambdaSlimException>(() => new ChangeSetDeployer(cfn, new RecordingObserver(), TimeSpan.Zero).ChangeSetTypeForAsync("app"));

        e.Message.ShouldContain("ROLLBACK_COMPLETE");
        e.Message.ShouldContain("must be deleted");
        e.Hint!.ShouldContain("delete-stack --stack-name app");
    }
}
