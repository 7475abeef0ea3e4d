using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Cli;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// A handler Lambda cannot load fails every call, so it fails the build: real CPython imports it in the
/// Lambda-like layout, and without a matching interpreter its module file must at least exist.
/// </summary>
[Trait("Category", "Integration")]
public class HandlerVerificationTests
{
    /// <summary>A function-only project (no requirements, so no pip) with the given app.py and Handler.</summary>
    private static string Project(string app, string handler = "app.handler", string runtime = "python3.11")
    {
        var dir = TestEnvironment.NewTempDir("handler");
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), app);
        File.WriteAllText(Path.Combine(dir, "template.yaml"), $$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/, Handler: {{handler}}, Runtime: {{runtime}}}
            """);
        return dir;
    }

    private static async Task<BuildResult> Build(string dir) =>
        await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());

    [Theory]
    [InlineData("def handler(e, c):\n    return 1\n", "missing.handler", "handler missing.handler cannot be loaded (ModuleNotFoundError: No module named 'missing')")]
    [InlineData("def handler(e, c)\n    return 1\n", "app.handler", "handler app.handler cannot be loaded (SyntaxError: ")]
    [InlineData("def other(e, c):\n    return 1\n", "app.handler", "handler app.handler cannot be loaded (AttributeError: module 'app' has no attribute 'handler')")]
    [InlineData("handler = 3\n", "app.handler", "handler app.handler cannot be loaded (TypeError: app.handler is a int, not a function)")]
    [InlineData("import does_not_exist\ndef handler(e, c):\n    return 1\n", "app.handler", "handler app.handler cannot be loaded (ModuleNotFoundError: No module named 'does_not_exist')")]
    public async Task A_handler_Lambda_cannot_load_is_an_error_naming_function_handler_and_exception(string app, string handler, string message)
    {
        var result = await Build(Project(app, handler));
        result.Failed.ShouldBeTrue(string.Join("\n", result.Findings));
        var error = result.Findings.Where(f => f.Severity == Severity.Error).ShouldHaveSingleItem();
        error.Subject.ShouldBe("function Fn");
        error.Message.ShouldContain(message);
        error.Message.ShouldContain("Lambda would fail on every call");
    }

    [Fact]
    public async Task A_handler_that_imports_only_what_the_runtime_provides_is_a_warning()
    {
        var result = await Build(Project("import boto3\ndef handler(e, c):\n    return 1\n"));
        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));
        result.Findings.ShouldContain(f => f.Severity == Severity.Warning && f.Message.Contains("imports boto3, which is not packaged"));
    }

    [Fact]
    public async Task A_handler_that_reads_its_environment_variables_at_import_is_loaded_with_the_templates_values()
    {
        var dir = Project("import os\nTABLE = os.environ['TABLE_NAME']\nSTAGE = os.environ['STAGE']\nassert STAGE == 'prod', STAGE\ndef handler(e, c):\n    return TABLE\n");
        var template = Path.Combine(dir, "template.yaml");
        File.WriteAllText(template, File.ReadAllText(template).Replace("Runtime: python3.11}", "Runtime: python3.11, Environment: {Variables: {TABLE_NAME: !Ref Table, STAGE: prod}}}", StringComparison.Ordinal)
            .Replace("Resources:\n", "Globals:\n  Function:\n    Environment:\n      Variables: {STAGE: dev}\nResources:\n  Table:\n    Type: AWS::DynamoDB::Table\n", StringComparison.Ordinal));

        var result = await Build(dir);

        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));

        // A variable the handler needs, taken away: the next build verifies again (the variables are in its key) and fails.
        File.WriteAllText(template, File.ReadAllText(template).Replace("TABLE_NAME: !Ref Table, ", "", StringComparison.Ordinal));
        var again = await Build(dir);
        again.Findings.ShouldContain(f => f.Severity == Severity.Error && f.Message.Contains("KeyError: 'TABLE_NAME'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_working_handler_passes()
    {
        var result = await Build(Project("def handler(e, c):\n    return 1\n"));
        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));
        result.Findings.ShouldNotContain(f => f.Message.Contains("handler"));
    }

    // No CPython 3.14 is installed here (pyenv has 3.9 to 3.13), so import verification is skipped for it.
    [Fact]
    public async Task Without_a_matching_interpreter_a_missing_handler_module_is_still_an_error()
    {
        PythonRuntimes.TryParse("python3.14", out var py314).ShouldBeTrue();
        LambdaSlim.Runtimes.PythonFinder.Find(py314).ShouldBeNull("this test needs a machine without CPython 3.14, so verification is skipped");
        var result = await Build(Project("def handler(e, c):\n    return 1\n", "missing.handler", "python3.14"));
        result.Findings.ShouldContain(f => f.Severity == Severity.Warning && f.Message.Contains("import verification skipped"));
        var error = result.Findings.Where(f => f.Severity == Severity.Error).ShouldHaveSingleItem();
        error.Subject.ShouldBe("function Fn");
        error.Message.ShouldContain("handler missing.handler: no module missing.py in the function's CodeUri or its layers");

        var ok = await Build(Project("def handler(e, c):\n    return 1\n", "app.handler", "python3.14"));
        ok.Failed.ShouldBeFalse(string.Join("\n", ok.Findings));
    }

    [Fact]
    public async Task The_cli_exits_1_and_names_the_function_once_per_message()
    {
        var dir = TestProjects.Dates(layerMetadata: "{exclude: ['six.py']}");
        var (code, _, err) = await CliHarness.Run("build", dir, "--no-index", "--find-links", TestEnvironment.Wheelhouse);
        code.ShouldBe(1, err);
        err.ShouldContain("error: function Fn: import six worked before pruning and fails after");
        err.ShouldNotContain("function Fn: function Fn:");

        var (missing, _, missingErr) = await CliHarness.Run("build", Project("def handler(e, c): pass\n", "nope.handler"));
        missing.ShouldBe(1, missingErr);
        missingErr.ShouldContain("error: function Fn: handler nope.handler cannot be loaded");
    }
}
