using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

public class ChangeSetVerdictTests
{
    private static readonly ResourceChange Add = new("Add", "PredictFunction", null, "AWS::Lambda::Function", null);

    private static ChangeSetDescription ChangeSet(string status, string? reason, params ResourceChange[] changes) =>
        new("arn:aws:cloudformation:us-east-1:123456789012:changeSet/lambdaslim-1/abc", "lambdaslim-1",
            "arn:aws:cloudformation:us-east-1:123456789012:stack/app/def", "app", status, "UNAVAILABLE", reason, changes);

    [Theory]
    [InlineData("The submitted information didn't contain changes. Submit different information to create a change set.")]
    [InlineData("No updates are to be performed.")]
    public void A_failed_change_set_that_says_nothing_changes_means_no_changes(string reason) =>
        ChangeSet("FAILED", reason).Verdict.ShouldBe(ChangeSetVerdict.NoChanges);

    [Fact]
    public void A_failed_change_set_with_another_reason_is_a_failure() =>
        ChangeSet("FAILED", "Template format error: Unresolved resource dependencies [DepsLayer] in the Resources block of the template").Verdict.ShouldBe(ChangeSetVerdict.Failed);

    [Fact]
    public void A_change_set_being_computed_is_pending_and_a_computed_one_with_changes_is_ready()
    {
        ChangeSet("CREATE_PENDING", null).Verdict.ShouldBe(ChangeSetVerdict.Pending);
        ChangeSet("CREATE_IN_PROGRESS", null).Verdict.ShouldBe(ChangeSetVerdict.Pending);
        ChangeSet("CREATE_COMPLETE", null, Add).Verdict.ShouldBe(ChangeSetVerdict.Ready);
    }
}
