using LambdaSlim.Tests.Cli;

namespace LambdaSlim.Tests.Operate;

/// <summary>What `sync` and `status` refuse before they read anything: exit 2 with the reason.</summary>
public class SyncUsageTests
{
    [Theory]
    [InlineData("sync", "--stack-name is required: the deployed stack to sync")]
    [InlineData("status", "--stack-name is required: the deployed stack to look at")]
    public async Task A_command_without_a_stack_name_is_a_usage_error(string command, string reason)
    {
        var (code, _, err) = await CliHarness.Run(command, "-p", TestEnvironment.NewTempDir("usage"));

        code.ShouldBe(2);
        err.ShouldContain(reason);
    }

    [Fact]
    public async Task Watch_with_skip_build_is_a_usage_error_because_watching_means_building()
    {
        var (code, _, err) = await CliHarness.Run("sync", "--stack-name", "app", "--watch", "--skip-build");

        code.ShouldBe(2);
        err.ShouldContain("--watch builds on every change: leave out --skip-build");
    }
}
