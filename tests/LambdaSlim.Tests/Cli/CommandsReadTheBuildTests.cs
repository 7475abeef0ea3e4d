using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Pipeline;

namespace LambdaSlim.Tests.Cli;

/// <summary>After a build, the commands that look at it read .lambdaslim/build/ as it stands: none of them installs.</summary>
[Trait("Category", "Integration")]
public class CommandsReadTheBuildTests
{
    [Fact]
    public async Task Audit_size_layers_report_and_coldstart_work_without_the_installs_and_without_pip_options()
    {
        var dir = TestProjects.Six();
        (await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver())).Failed.ShouldBeFalse();
        // Without the installs (and with no --find-links), a command that ran the pipeline would have to install again.
        Directory.Delete(Path.Combine(dir, ".lambdaslim", "work"), recursive: true);

        string[][] commands =
        [
            ["audit", "-p", dir], ["size", "validate", "-p", dir], ["size", "check", "-p", dir], ["size", "report", "-p", dir],
            ["layers", "report", "-p", dir], ["coldstart", "Fn", "--runs", "1", "-p", dir],
        ];
        foreach (var command in commands)
        {
            var (code, _, stderr) = await CliHarness.Run(command);
            code.ShouldBe(0, $"{string.Join(' ', command)}: {stderr}");
            stderr.ShouldNotContain("Installing", customMessage: string.Join(' ', command));
            Directory.Exists(Path.Combine(dir, ".lambdaslim", "work", "layers")).ShouldBeFalse(string.Join(' ', command));
        }
    }
}
