using LambdaSlim.Aws;
using LambdaSlim.Operate;
using LambdaSlim.Tests.Aws;

namespace LambdaSlim.Tests.Operate;

/// <summary>
/// `status --follow` on a stack that is still updating (moto's stacks never are, so these are CloudFormation's answers
/// from a local endpoint): it shows the events so far, then prints only the newer ones until the stack settles.
/// </summary>
public class StatusFollowTests
{
    private const string Ns = "xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"";
    private const string StackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/5e2a";

    private static string Ok(string action, string result = "") =>
        $"<{action}Response {Ns}><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></{action}Response>";

    private static string Stack(string status) =>
        Ok("DescribeStacks", $"<Stacks><member><StackId>{StackId}</StackId><StackName>app</StackName><StackStatus>{status}</StackStatus></member></Stacks>");

    private static string Event(string id, string logicalId, string type, string time, string status) =>
        $"<member><EventId>{id}</EventId><StackId>{StackId}</StackId><StackName>app</StackName><LogicalResourceId>{logicalId}</LogicalResourceId>" +
        $"<PhysicalResourceId>{(type == "AWS::CloudFormation::Stack" ? StackId : "app-" + logicalId)}</PhysicalResourceId><ResourceType>{type}</ResourceType>" +
        $"<Timestamp>2026-11-30T10:00:{time}Z</Timestamp><ResourceStatus>{status}</ResourceStatus></member>";

    private static readonly string Earlier = Event("e1", "app", "AWS::CloudFormation::Stack", "00", "CREATE_COMPLETE");
    private static readonly string Began = Event("e2", "app", "AWS::CloudFormation::Stack", "01", "UPDATE_IN_PROGRESS");
    private static readonly string Api = Event("e3", "Api", "AWS::Lambda::Function", "03", "UPDATE_COMPLETE");
    private static readonly string Done = Event("e4", "app", "AWS::CloudFormation::Stack", "05", "UPDATE_COMPLETE");

    private static string Events(params string[] members) => Ok("DescribeStackEvents", $"<StackEvents>{string.Concat(members)}</StackEvents>");

    private static StatusRequest Request(FakeAwsEndpoint fake) => new()
    {
        ProjectDir = TestEnvironment.NewTempDir("status"),
        StackName = "app",
        Aws = AwsOptions.Default with { EndpointUrl = fake.Endpoint },
        PollInterval = TimeSpan.FromMilliseconds(5),
        Environment = k => k switch { "AWS_ACCESS_KEY_ID" => "a", "AWS_SECRET_ACCESS_KEY" => "b", "AWS_REGION" => "us-east-1", _ => null },
    };

    [Fact]
    public async Task Follow_prints_only_the_events_after_those_shown_until_the_stack_settles()
    {
        using var fake = new FakeAwsEndpoint(
            (200, Stack("UPDATE_IN_PROGRESS")),
            (200, Events(Began, Earlier)),
            (200, Ok("DescribeStackResources", "<StackResources/>")),
            (200, Ok("GetTemplate", "<TemplateBody>Resources: {}</TemplateBody>")),
            (200, Events(Began, Earlier)),
            (200, Events(Done, Api, Began, Earlier)));
        var request = Request(fake);
        var observer = new RecordingObserver();

        var report = await StatusReader.ReadAsync(request);
        var outcome = await StatusReader.FollowAsync(request, report, observer);

        report.Settled.ShouldBeFalse();
        report.Events.Select(e => e.EventId).ShouldBe(["e1", "e2"]);
        outcome.Succeeded.ShouldBeTrue();
        outcome.FinalStatus.ShouldBe("UPDATE_COMPLETE");
        observer.Infos.ShouldBe(["10:00:03  UPDATE_COMPLETE  AWS::Lambda::Function  Api", "10:00:05  UPDATE_COMPLETE  AWS::CloudFormation::Stack  app"]);
        fake.Actions.ShouldBe(["DescribeStacks", "DescribeStackEvents", "DescribeStackResources", "GetTemplate", "DescribeStackEvents", "DescribeStackEvents"]);
    }

    [Fact]
    public async Task A_stack_that_settled_between_the_two_reads_has_nothing_to_follow()
    {
        using var fake = new FakeAwsEndpoint(
            (200, Stack("UPDATE_IN_PROGRESS")),
            (200, Events(Done, Api, Began, Earlier)),
            (200, Ok("DescribeStackResources", "<StackResources/>")),
            (200, Ok("GetTemplate", "<TemplateBody>Resources: {}</TemplateBody>")));

        var report = await StatusReader.ReadAsync(Request(fake));

        report.Settled.ShouldBeTrue();
        report.Events.Select(e => e.EventId).ShouldBe(["e1", "e2", "e3", "e4"]);
    }
}
