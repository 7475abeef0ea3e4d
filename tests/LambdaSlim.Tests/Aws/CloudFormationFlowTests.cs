using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

/// <summary>The change-set flow against a real moto server, on a plain (non-SAM) template: moto has no SAM transform.</summary>
[Trait("Category", "Integration")]
public class CloudFormationFlowTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Template = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Environment:
            Type: String
        Resources:
          Jobs:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub "jobs-${Environment}"
          Alerts:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: !Sub "alerts-${Environment}"
        """;

    private static ChangeSetRequest Request(string stack, string name, ChangeSetType type, string template = Template) => new(stack, name, type)
    {
        TemplateBody = template,
        Parameters = new Dictionary<string, string> { ["Environment"] = "dev" },
        Tags = new Dictionary<string, string> { ["lambdaslim:stack"] = stack },
    };

    [Fact]
    public async Task A_change_set_is_created_described_executed_followed_to_CREATE_COMPLETE_and_the_stack_deleted()
    {
        using var cfn = new CloudFormationClient(MotoSessions.Open(moto));
        var observer = new RecordingObserver();
        var deployer = new ChangeSetDeployer(cfn, observer, TimeSpan.FromMilliseconds(50));

        (await deployer.ChangeSetTypeForAsync("queues")).ShouldBe(ChangeSetType.Create);
        var prepared = await deployer.PrepareAsync(Request("queues", "lambdaslim-1", ChangeSetType.Create));

        prepared.Verdict.ShouldBe(ChangeSetVerdict.Ready);
        prepared.Description.Changes.Select(c => (c.Action, c.LogicalResourceId, c.ResourceType)).OrderBy(c => c.LogicalResourceId)
            .ShouldBe([("Add", "Alerts", "AWS::SNS::Topic"), ("Add", "Jobs", "AWS::SQS::Queue")]);

        var outcome = await deployer.ExecuteAsync(prepared);

        outcome.Terminal.ShouldBeTrue();
        outcome.Succeeded.ShouldBeTrue();
        outcome.FinalStatus.ShouldBe("CREATE_COMPLETE");
        // moto reports the stack's own events only, not its resources'.
        observer.Infos.Count(l => l.Contains("CREATE_IN_PROGRESS  AWS::CloudFormation::Stack  queues  User Initiated")).ShouldBe(1, "each event is printed once");
        observer.Infos.Count(l => l.Contains("CREATE_COMPLETE  AWS::CloudFormation::Stack  queues")).ShouldBe(1, "each event is printed once");
        var stack = (await cfn.DescribeStackAsync("queues")).ShouldNotBeNull();
        stack.Status.ShouldBe("CREATE_COMPLETE");
        (await cfn.DescribeStackResourcesAsync("queues")).Select(r => r.LogicalResourceId).Order().ShouldBe(["Alerts", "Jobs"]);
        (await deployer.ChangeSetTypeForAsync("queues")).ShouldBe(ChangeSetType.Update);

        await cfn.DeleteStackAsync("queues");
        var after = await cfn.DescribeStackAsync(stack.StackId);
        (after is null || after.Status == "DELETE_COMPLETE").ShouldBeTrue();
    }

    [Fact]
    public async Task A_change_set_deleted_before_execution_is_gone_and_an_update_executes_too()
    {
        using var cfn = new CloudFormationClient(MotoSessions.Open(moto));
        var deployer = new ChangeSetDeployer(cfn, new RecordingObserver(), TimeSpan.FromMilliseconds(50));
        await deployer.ExecuteAsync(await deployer.PrepareAsync(Request("topics", "lambdaslim-1", ChangeSetType.Create)));

        var withDlq = Template.Replace("Resources:\n", "Resources:\n  DeadLetters:\n    Type: AWS::SQS::Queue\n", StringComparison.Ordinal);
        var update = await deployer.PrepareAsync(Request("topics", "lambdaslim-2", ChangeSetType.Update, withDlq));
        update.Description.Changes.ShouldContain(c => c.Action == "Add" && c.LogicalResourceId == "DeadLetters");
        var outcome = await deployer.ExecuteAsync(update);

        outcome.Succeeded.ShouldBeTrue();
        outcome.FinalStatus.ShouldBe("UPDATE_COMPLETE");
        (await cfn.DescribeStackResourcesAsync("topics")).Select(r => r.LogicalResourceId).ShouldContain("DeadLetters");

        await cfn.CreateChangeSetAsync(Request("topics", "lambdaslim-3", ChangeSetType.Update, Template));
        await cfn.DeleteChangeSetAsync("topics", "lambdaslim-3");
        await Should.ThrowAsync<LambdaSlimException>(() => cfn.DescribeChangeSetAsync("topics", "lambdaslim-3"));
    }

    [Fact]
    public async Task The_same_template_again_is_no_changes_and_its_change_set_is_deleted()
    {
        using var cfn = new CloudFormationClient(MotoSessions.Open(moto));
        var observer = new RecordingObserver();
        var deployer = new ChangeSetDeployer(cfn, observer, TimeSpan.FromMilliseconds(50));
        await deployer.ExecuteAsync(await deployer.PrepareAsync(Request("same", "lambdaslim-1", ChangeSetType.Create)));

        var again = await deployer.PrepareAsync(Request("same", "lambdaslim-2", await deployer.ChangeSetTypeForAsync("same")));

        again.Verdict.ShouldBe(ChangeSetVerdict.NoChanges);
        observer.Infos.ShouldContain("stack same: no changes");
        await Should.ThrowAsync<LambdaSlimException>(() => cfn.DescribeChangeSetAsync("same", "lambdaslim-2"));
    }
}
