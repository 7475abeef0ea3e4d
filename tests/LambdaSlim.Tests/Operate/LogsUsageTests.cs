using LambdaSlim.Tests.Cli;

namespace LambdaSlim.Tests.Operate;

/// <summary>`lambdaslim logs` options that do not go together, or do not parse, are usage errors before any AWS call.</summary>
public class LogsUsageTests
{
    [Theory]
    [InlineData("--cold-starts", "--tail")]
    [InlineData("--cold-starts", "--filter", "ERROR")]
    public async Task Cold_starts_with_tail_or_filter_is_a_usage_error(params string[] options)
    {
        var (code, _, err) = await CliHarness.Run(["logs", "Predict", "--stack-name", "app", .. options]);

        code.ShouldBe(2, err);
        err.ShouldContain("--cold-starts");
    }

    [Fact]
    public async Task A_since_that_is_neither_a_duration_nor_a_time_is_a_usage_error()
    {
        var (code, _, err) = await CliHarness.Run("logs", "Predict", "--since", "yesterday");

        code.ShouldBe(2, err);
        err.ShouldContain("--since 'yesterday' is neither a duration nor a time");
    }

    [Fact]
    public async Task Logs_without_a_function_is_a_usage_error()
    {
        var (code, _, err) = await CliHarness.Run("logs");

        code.ShouldBe(2, err);
    }
}
