using LambdaSlim.Cli;
using LambdaSlim.Cli.Console;
using Spectre.Console;

namespace LambdaSlim.Tests.Cli;

/// <summary>Runs the real command tree in-process, with stdout and stderr captured.</summary>
public static class CliHarness
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        IAnsiConsole Console(TextWriter w)
        {
            var c = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
            c.Profile.Width = 4096;
            return c;
        }
        var code = await LambdaSlimApp.RunAsync(args, new Consoles(Console(stdout), Console(stderr)));
        return (code, stdout.ToString(), stderr.ToString());
    }
}

public class CliTests
{
    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public async Task Unknown_option_is_a_usage_error()
    {
        var (code, _, err) = await Run("build", "--no-such-flag");
        code.ShouldBe(2);
        err.ShouldContain("no-such-flag");
    }

    [Fact]
    public async Task Layers_only_and_functions_only_together_is_a_usage_error()
    {
        var (code, _, err) = await Run("build", TestEnvironment.NewTempDir("x"), "--layers-only", "--functions-only");
        code.ShouldBe(2);
        err.ShouldContain("exclude each other");
    }

    [Fact]
    public async Task Missing_template_exits_3_with_one_line_naming_the_fix()
    {
        var (code, stdout, err) = await Run("build", "-p", TestEnvironment.NewTempDir("none"));
        code.ShouldBe(3);
        stdout.ShouldBeEmpty();
        var lines = err.Trim().Split('\n');
        lines.ShouldHaveSingleItem().ShouldStartWith("error: template not found");
        lines[0].ShouldContain("-t/--template");
    }

    [Fact]
    public async Task Unknown_layer_name_is_a_usage_error_listing_the_layers()
    {
        var (code, _, err) = await Run("layers", "status", "nope", "-p", TestEnvironment.ExampleDir);
        code.ShouldBe(2);
        err.ShouldContain("CoreDataScienceLayer");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Build_then_status_then_clean_a_layer()
    {
        var dir = TestProjects.Six();
        var offline = new[] { "--no-index", "--find-links", TestEnvironment.Wheelhouse };

        var (code, stdout, err) = await Run(["build", dir, .. offline]);
        code.ShouldBe(0, err);
        stdout.ShouldContain("Lib");
        stdout.ShouldContain("Fn");
        err.ShouldContain("Installing layer Lib for python3.11 x86_64");

        (code, stdout, _) = await Run(["layers", "status", "all", "-p", dir, .. offline]);
        code.ShouldBe(0);
        stdout.ShouldContain("built, up to date");

        File.AppendAllText(Path.Combine(dir, "layer", "requirements.txt"), "jmespath\n");
        (_, stdout, _) = await Run(["layers", "status", "Lib", "-p", dir, .. offline]);
        stdout.ShouldContain("stale");

        (code, _, _) = await Run("layers", "clean", "Lib", "-p", dir);
        code.ShouldBe(0);
        File.Exists(Path.Combine(dir, ".lambdaslim", "build", "layers", "Lib.zip")).ShouldBeFalse();
        (_, stdout, _) = await Run("layers", "status", "-p", dir);
        stdout.ShouldContain("not built");
        File.ReadAllText(Path.Combine(dir, ".lambdaslim", "build", "template.yaml")).ShouldContain("ContentUri: ../../layer/");
    }

    [Fact]
    public void Exceptions_map_to_documented_exit_codes()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()) });
        LambdaSlimApp.ExitCodeFor(new LambdaSlimException(ExitCode.IndexUnreachable, "x"), console, false).ShouldBe(7);
        LambdaSlimApp.ExitCodeFor(new OperationCanceledException(), console, false).ShouldBe(130);
        LambdaSlimApp.ExitCodeFor(new InvalidOperationException("bug"), console, false).ShouldBe(255);
    }
}
