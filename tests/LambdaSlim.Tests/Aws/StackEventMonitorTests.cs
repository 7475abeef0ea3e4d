using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

/// <summary>Recorded CloudFormation event sequences replayed through the monitor, as a poller would see them arrive.</summary>
public class StackEventMonitorTests
{
    private sealed record Replay(List<string> Printed, List<StackProgress> Polls)
    {
        public StackProgress Last => Polls[^1];
    }

    /// <summary>
    /// Polls the recorded stack as it grew: each poll sees every event up to a moment (newest first, all of history),
    /// as DescribeStackEvents would have answered then; new events are printed, and polling stops at a terminal state.
    /// </summary>
    private static Replay Run(IReadOnlyList<StackEvent> recorded, DateTimeOffset? after, int eventsPerPoll = 3)
    {
        var printed = new HashSet<string>();
        var lines = new List<string>();
        var polls = new List<StackProgress>();
        var times = recorded.Select(e => e.Timestamp).Order().ToList();
        for (var i = eventsPerPoll - 1; ; i = Math.Min(i + eventsPerPoll, times.Count - 1))
        {
            var visible = recorded.Where(e => e.Timestamp <= times[i]).ToList();
            var progress = StackEventMonitor.Observe(visible, printed, after);
            polls.Add(progress);
            foreach (var e in progress.NewEvents)
            {
                lines.Add(e.Line);
                printed.Add(e.EventId);
            }
            if (progress.Terminal || i == times.Count - 1) break;
        }
        return new(lines, polls);
    }

    [Fact]
    public void A_successful_create_prints_every_event_once_in_time_order_and_ends_at_CREATE_COMPLETE()
    {
        var recorded = RecordedStackEvents.Load("create-success.json");
        var replay = Run(recorded, after: null);

        replay.Printed.Count.ShouldBe(recorded.Count);
        replay.Printed.ShouldBe(recorded.OrderBy(e => e.Timestamp).Select(e => e.Line));
        replay.Printed[0].ShouldContain("REVIEW_IN_PROGRESS");
        replay.Polls.SkipLast(1).ShouldAllBe(p => !p.Terminal, "CREATE_IN_PROGRESS and the resources' COMPLETE are not the end");
        replay.Last.Terminal.ShouldBeTrue();
        replay.Last.Succeeded.ShouldBeTrue();
        replay.Last.FinalStatus.ShouldBe("CREATE_COMPLETE");
        replay.Last.RootCauses.ShouldBeEmpty();
    }

    [Fact]
    public void A_failed_create_ends_at_ROLLBACK_COMPLETE_and_names_the_function_that_failed_not_the_cancelled_permission()
    {
        var replay = Run(RecordedStackEvents.Load("create-rollback-complete.json"), after: null);

        replay.Last.Terminal.ShouldBeTrue();
        replay.Last.Succeeded.ShouldBeFalse();
        replay.Last.FinalStatus.ShouldBe("ROLLBACK_COMPLETE");
        var cause = replay.Last.RootCauses.ShouldHaveSingleItem();
        cause.LogicalResourceId.ShouldBe("PredictFunction");
        cause.ResourceStatus.ShouldBe("CREATE_FAILED");
        cause.ResourceStatusReason!.ShouldContain("exceeds the maximum allowed size of 262144000 bytes");
        replay.Polls.Where(p => p.FinalStatus == "ROLLBACK_IN_PROGRESS").ShouldAllBe(p => !p.Terminal, "a rollback in progress is not the end");
    }

    [Fact]
    public void A_failed_update_ends_at_UPDATE_ROLLBACK_COMPLETE_prints_only_its_own_events_and_names_the_root_cause()
    {
        var recorded = RecordedStackEvents.Load("update-rollback-complete.json");
        var history = RecordedStackEvents.Load("create-success.json");
        var after = history.Max(e => e.Timestamp);

        var replay = Run(recorded, after);

        replay.Printed.Count.ShouldBe(recorded.Count - history.Count, "the earlier create's events are history, not this deploy's");
        replay.Printed[0].ShouldContain("UPDATE_IN_PROGRESS");
        replay.Printed[0].ShouldContain("User Initiated");
        replay.Polls.Where(p => p.FinalStatus == "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS").ShouldAllBe(p => !p.Terminal);
        replay.Last.Terminal.ShouldBeTrue();
        replay.Last.Succeeded.ShouldBeFalse();
        replay.Last.FinalStatus.ShouldBe("UPDATE_ROLLBACK_COMPLETE");
        var cause = replay.Last.RootCauses.ShouldHaveSingleItem();
        cause.LogicalResourceId.ShouldBe("PredictFunction");
        cause.ResourceStatus.ShouldBe("UPDATE_FAILED");
        cause.ResourceStatusReason!.ShouldContain("Layers consume more than the available size");
    }

    [Fact]
    public void Events_seen_in_two_overlapping_pages_are_printed_once()
    {
        var recorded = RecordedStackEvents.Load("create-success.json");
        var progress = StackEventMonitor.Observe(recorded.Concat(recorded.Take(5)), new HashSet<string>());
        progress.NewEvents.Count.ShouldBe(recorded.Count);
    }

    [Fact]
    public void A_stack_that_fails_by_itself_is_its_own_root_cause()
    {
        var stack = RecordedStackEvents.Load("create-success.json").Last();
        var failed = stack with
        {
            EventId = "e2",
            Timestamp = stack.Timestamp.AddSeconds(5),
            ResourceStatus = "CREATE_FAILED",
            ResourceStatusReason = "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document.",
        };
        var progress = StackEventMonitor.Observe([stack, failed with { EventId = "e3", Timestamp = failed.Timestamp.AddSeconds(1), ResourceStatusReason = null, ResourceStatus = "ROLLBACK_COMPLETE" }, failed], new HashSet<string>());

        progress.Terminal.ShouldBeTrue();
        progress.RootCauses.ShouldHaveSingleItem().ResourceStatusReason!.ShouldStartWith("Transform AWS::Serverless-2016-10-31 failed");
    }
}
