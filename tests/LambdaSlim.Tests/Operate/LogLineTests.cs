using LambdaSlim.Aws;
using LambdaSlim.Operate;

namespace LambdaSlim.Tests.Operate;

/// <summary>How `lambdaslim logs` reads Lambda's log lines: REPORT lines parsed, errors told apart, --since understood.</summary>
public class LogLineTests
{
    private const string ColdReport = "REPORT RequestId: 3f2a-11\tDuration: 102.35 ms\tBilled Duration: 103 ms\tMemory Size: 1024 MB\tMax Memory Used: 88 MB\tInit Duration: 450.12 ms\t\n";
    private const string WarmReport = "REPORT RequestId: 3f2a-12\tDuration: 2.5 ms\tBilled Duration: 3 ms\tMemory Size: 1024 MB\tMax Memory Used: 89 MB\t\n";

    [Fact]
    public void A_cold_REPORT_line_gives_duration_memory_and_init_duration()
    {
        var report = InvocationReport.TryParse(ColdReport).ShouldNotBeNull();

        report.ShouldBe(new InvocationReport("3f2a-11", 102.35, 103, 1024, 88, 450.12));
        report.ColdStart.ShouldBeTrue();
    }

    [Fact]
    public void A_warm_REPORT_line_has_no_init_duration()
    {
        var report = InvocationReport.TryParse(WarmReport).ShouldNotBeNull();

        report.InitDurationMs.ShouldBeNull();
        report.ColdStart.ShouldBeFalse();
        report.MaxMemoryUsedMb.ShouldBe(89);
    }

    [Fact]
    public void The_JSON_log_formats_platform_report_record_is_a_REPORT_too()
    {
        const string Json = """{"time":"2026-11-30T01:00:00.000Z","type":"platform.report","record":{"requestId":"9b1","metrics":{"durationMs":12.5,"billedDurationMs":13,"memorySizeMB":512,"maxMemoryUsedMB":70,"initDurationMs":380.5},"status":"success"}}""";

        InvocationReport.TryParse(Json).ShouldBe(new InvocationReport("9b1", 12.5, 13, 512, 70, 380.5));
    }

    [Theory]
    [InlineData("START RequestId: 3f2a-11 Version: $LATEST")]
    [InlineData("REPORTING the numbers: Duration: 5 ms")]
    [InlineData("hello")]
    public void Other_lines_are_not_reports(string line) => InvocationReport.TryParse(line).ShouldBeNull();

    [Theory]
    [InlineData("[ERROR] ValueError: bad item\nTraceback (most recent call last):\n  File \"/var/task/app.py\"", LogLineKind.Error)]
    [InlineData("Traceback (most recent call last):", LogLineKind.Error)]
    [InlineData("2026-11-30T01:00:00.000Z 3f2a-11 Task timed out after 30.03 seconds", LogLineKind.Error)]
    [InlineData("ERROR could not reach the table", LogLineKind.Error)]
    [InlineData("""{"timestamp":"2026-11-30T01:00:00Z","level":"ERROR","message":"boom"}""", LogLineKind.Error)]
    [InlineData("START RequestId: 3f2a-11 Version: $LATEST", LogLineKind.Platform)]
    [InlineData("END RequestId: 3f2a-11", LogLineKind.Platform)]
    [InlineData("[INFO] 2026-11-30 validated 12 items, 0 errors", LogLineKind.Message)]
    [InlineData("TERRORS of the deep", LogLineKind.Message)]
    public void Lines_are_classified_as_errors_platform_frames_or_messages(string message, LogLineKind kind) =>
        FunctionLogEvent.KindOf(message).ShouldBe(kind);

    [Fact]
    public void A_REPORT_event_is_a_report_with_its_numbers()
    {
        var e = FunctionLogEvent.From(new LogEvent("1", "stream", DateTimeOffset.UnixEpoch, ColdReport));

        e.Kind.ShouldBe(LogLineKind.Report);
        e.Report.ShouldNotBeNull().InitDurationMs.ShouldBe(450.12);
    }

    [Fact]
    public void The_cold_start_summary_counts_only_invocations_with_an_init_duration()
    {
        double?[] inits = [300, null, 100, 500, null, 200, 400];
        var reports = inits.Select((init, i) => new InvocationReport($"r{i}", 10, 10, 128, 50, init));

        var summary = ColdStartSummary.Of(reports);

        summary.ShouldBe(new ColdStartSummary(Invocations: 7, ColdStarts: 5, MinMs: 100, MedianMs: 300, P90Ms: 500, MaxMs: 500));
    }

    [Fact]
    public void The_median_of_an_even_count_of_cold_starts_is_the_mean_of_the_middle_two()
    {
        var summary = ColdStartSummary.Of(new double[] { 100, 200, 300, 400 }.Select(ms => new InvocationReport("r", 1, 1, 128, 50, ms)));

        summary.MedianMs.ShouldBe(250);
        summary.P90Ms.ShouldBe(400);
    }

    [Fact]
    public void No_cold_starts_is_a_summary_of_zero_not_an_error() =>
        ColdStartSummary.Of([new InvocationReport("r", 1, 1, 128, 50, null)]).ShouldBe(new ColdStartSummary(1, 0, 0, 0, 0, 0));

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("90s", 90)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172_800)]
    [InlineData("1w", 604_800)]
    public void Since_takes_a_duration_back_from_now(string since, int seconds)
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

        LogsSince.Parse(since, now).ShouldBe(now.AddSeconds(-seconds));
    }

    [Fact]
    public void Since_takes_an_ISO_time_as_UTC_unless_it_says_otherwise()
    {
        var now = DateTimeOffset.UtcNow;

        LogsSince.Parse("2026-11-30T08:00:00", now).ShouldBe(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        LogsSince.Parse("2026-11-30T08:00:00+02:00", now).ShouldBe(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("10 minutes")]
    [InlineData("-5m")]
    public void Since_that_is_neither_is_a_usage_error(string since)
    {
        var e = Should.Throw<LambdaSlimException>(() => LogsSince.Parse(since, DateTimeOffset.UtcNow));

        e.ExitCode.ShouldBe(ExitCode.Usage);
        e.OneLine.ShouldContain("10m, 1h, 2d");
    }
}
