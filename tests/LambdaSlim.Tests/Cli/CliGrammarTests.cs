namespace LambdaSlim.Tests.Cli;

/// <summary>One grammar: every command takes the project as -p/--project, and enum options bind as users type them.</summary>
public class CliGrammarTests
{
    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliHarness.Run(args);

    public static TheoryData<string[]> EveryCommand => new()
    {
        new[] { "build" }, new[] { "audit" }, new[] { "coldstart" },
        new[] { "size", "check" }, new[] { "size", "validate" }, new[] { "size", "report" },
        new[] { "layers", "build" }, new[] { "layers", "clean" }, new[] { "layers", "optimize" },
        new[] { "layers", "validate" }, new[] { "layers", "status" }, new[] { "layers", "report" },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task Every_command_takes_the_project_folder_as_dash_p(string[] command)
    {
        var dir = TestEnvironment.NewTempDir("noproject");
        foreach (var option in new[] { "-p", "--project" })
        {
            var (code, _, err) = await Run([.. command, option, dir]);
            code.ShouldBe(3, err);
            err.Trim().Split('\n').ShouldHaveSingleItem().ShouldStartWith($"error: template not found: {Path.Combine(dir, "template.yaml")}");
        }
    }

    [Theory]
    [InlineData("build")]
    [InlineData("audit")]
    public async Task The_old_positional_project_folder_still_works_with_a_one_line_deprecation_hint(string command)
    {
        var dir = TestEnvironment.NewTempDir("noproject");
        var (code, _, err) = await Run(command, dir);
        code.ShouldBe(3, err);
        var lines = err.Trim().Split('\n');
        lines.Length.ShouldBe(2, err);
        lines[0].ShouldBe($"warning: 'lambdaslim {command} DIR' is deprecated and goes in the next release: use 'lambdaslim {command} -p {dir}'");
        lines[1].ShouldStartWith("error: template not found");
    }

    [Fact]
    public async Task The_project_folder_given_both_ways_is_a_usage_error()
    {
        var dir = TestEnvironment.NewTempDir("twice");
        var (code, _, err) = await Run("build", dir, "-p", dir);
        code.ShouldBe(2);
        err.ShouldContain("given twice");
    }

    [Fact]
    public async Task A_zip_with_a_project_folder_is_a_usage_error()
    {
        var (code, _, err) = await Run("audit", "layer.zip", "-p", TestEnvironment.NewTempDir("proj"), "--runtime", "python3.12");
        code.ShouldBe(2);
        err.ShouldContain("audited on its own");
    }

    [Theory]
    [InlineData("--audit", "bogus", "use error, warn or off", "build")]
    [InlineData("--audit", "1", "use error, warn or off", "build")]
    [InlineData("--format", "xml", "use text or json", "build")]
    [InlineData("--compression", "max", "use optimal, smallest or fastest", "build")]
    [InlineData("--format", "yaml", "use text or json", "audit")]
    [InlineData("--compression", "max", "use optimal, smallest or fastest", "layers", "build")]
    [InlineData("--target", "everything", "use layers, functions or all", "size", "validate")]
    [InlineData("--format", "pdf", "use text, json, markdown or html", "size", "report")]
    public async Task An_unknown_option_value_is_a_usage_error_naming_the_values(string option, string value, string fix, params string[] command)
    {
        var (code, stdout, err) = await Run([.. command, option, value, "-p", TestEnvironment.NewTempDir("values")]);
        code.ShouldBe(2);
        stdout.ShouldBeEmpty();
        err.Trim().ShouldBe($"error: {option} '{value}' is not known: {fix}");
    }

    [Theory]
    [InlineData("--audit", "WARN", "build")]
    [InlineData("--format", "Json", "build")]
    [InlineData("--compression", "smallest", "build")]
    [InlineData("--target", "Layers", "size", "validate")]
    [InlineData("--format", "markdown", "size", "report")]
    public async Task Option_values_bind_in_any_case(string option, string value, params string[] command)
    {
        var (code, _, err) = await Run([.. command, option, value, "-p", TestEnvironment.NewTempDir("values")]);
        code.ShouldBe(3, err); // past the options, to the missing template
    }

    [Fact]
    public async Task Help_shows_enum_defaults_as_users_type_them()
    {
        var (_, stdout, stderr) = await Run("build", "--help");
        var help = stdout + stderr;
        help.ShouldContain("-p, --project <DIR>");
        help.ShouldMatch(@"--audit <MODE>\s+error\s");
        help.ShouldMatch(@"--format <FORMAT>\s+text\s");
        help.ShouldMatch(@"--compression <LEVEL>\s+optimal\s");
    }

    [Theory]
    [InlineData("build")]
    [InlineData("optimize")]
    [InlineData("validate")]
    [InlineData("clean")]
    [InlineData("report")]
    public async Task An_unknown_layer_name_is_a_usage_error_for_every_layers_command(string verb)
    {
        var (code, _, err) = await Run("layers", verb, "nope", "-p", TestEnvironment.ExampleDir);
        code.ShouldBe(2, err);
        err.Trim().ShouldStartWith("error: no layer named 'nope'");
        err.ShouldContain("CoreDataScienceLayer");
    }
}
