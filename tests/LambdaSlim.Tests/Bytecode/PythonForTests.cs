using System.Diagnostics;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Pipeline;
using LambdaSlim.Tests.Cli;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Bytecode;

/// <summary>Which CPython builds for a runtime: --python-for first, and a warning that says what to install when none is found.</summary>
[Trait("Category", "Integration")]
public class PythonForTests
{
    private static string Project(string runtime)
    {
        var dir = TestEnvironment.NewTempDir("pythonfor");
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(e, c):\n    return 1\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), $$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/, Handler: app.handler, Runtime: {{runtime}}}
            """);
        return dir;
    }

    [Fact]
    public async Task Without_a_CPython_of_the_runtimes_version_the_warning_says_what_to_install()
    {
        var observer = new RecordingObserver();
        await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = Project("python3.14"), Settings = ExampleBuildFixture.OfflineSettings }, observer);
        observer.Warnings.ShouldContain(w => w.Contains("no CPython 3.14 found", StringComparison.Ordinal)
            && w.EndsWith("install CPython 3.14 (pyenv install 3.14, or uv python install 3.14) or pass --python-for 3.14=/path/to/python3.14", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_interpreter_given_with_python_for_compiles_the_bytecode()
    {
        // A virtual environment of pyenv's 3.12 has its own executable path, so the report shows which one compiled.
        var venv = Path.Combine(TestEnvironment.NewTempDir("venv"), "py312");
        var real = Path.Combine(Environment.GetEnvironmentVariable("PYENV_ROOT") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv"), "versions");
        var python312 = Directory.GetDirectories(real, "3.12.*").Select(d => Path.Combine(d, "bin", "python3.12")).First(File.Exists);
        using (var p = Process.Start(python312, ["-m", "venv", "--without-pip", venv])!) await p.WaitForExitAsync();
        var given = Path.Combine(venv, "bin", "python");

        var dir = Project("python3.12");
        var (code, _, err) = await CliHarness.Run("build", dir, "--no-index", "--find-links", TestEnvironment.Wheelhouse, "--python-for", $"3.12={given}");

        code.ShouldBe(0, err);
        var report = BuildReport.TryLoad(Path.Combine(dir, ".lambdaslim", "build", BuildReport.FileName)).ShouldNotBeNull();
        report.Functions.Single().Bytecode!.Python.ShouldBe(given);
    }

    [Theory]
    [InlineData("3.14", "is not VERSION=PATH")]
    [InlineData("3.14=/nonexistent/python3.14", "/nonexistent/python3.14 does not exist")]
    [InlineData("3.12=python3.11", "is Python 3.11")]
    public async Task A_wrong_python_for_is_a_usage_error_naming_it(string option, string expected)
    {
        var (code, _, err) = await CliHarness.Run("build", Project("python3.12"), "--no-index", "--find-links", TestEnvironment.Wheelhouse, "--python-for", option);
        code.ShouldBe((int)ExitCode.Usage, err);
        err.ShouldContain(expected);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Coldstart_takes_python_for_as_build_does()
    {
        var dir = Project("python3.12");
        var (built, _, buildErr) = await CliHarness.Run("build", "-p", dir, "--no-index", "--find-links", TestEnvironment.Wheelhouse);
        built.ShouldBe(0, buildErr);

        var (code, _, err) = await CliHarness.Run("coldstart", "-p", dir, "--runs", "1", "--python-for", "3.12=/nonexistent/python3.12");

        code.ShouldBe((int)ExitCode.Usage, err);
        err.ShouldContain("/nonexistent/python3.12 does not exist");
    }
}
