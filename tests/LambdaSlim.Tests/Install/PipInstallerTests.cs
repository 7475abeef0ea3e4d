using LambdaSlim.Install;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Tests.Install;

public class PipInstallerTests
{
    private static InstallRequest Request(string requirements, string runtime = "python3.11", PipOptions? options = null)
    {
        var dir = TestEnvironment.NewTempDir("pip");
        var file = Path.Combine(dir, "requirements.txt");
        File.WriteAllText(file, requirements);
        return new InstallRequest(file, PythonRuntimes.Parse(runtime, "t"), Architecture.X86_64,
            options ?? new PipOptions { NoIndex = true, FindLinks = [TestEnvironment.Wheelhouse] }, "layer Test");
    }

    private sealed class NullStep : IProgressStep
    {
        public void Report(long done, string? status = null) { }
        public void Status(string status) { }
        public void Dispose() { }
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void Pip_is_asked_for_the_runtime_not_the_build_machine()
    {
        var args = Request("six\n", "python3.12").PipArguments("/t");
        string After(string flag) => args[args.ToList().IndexOf(flag) + 1];
        After("--python-version").ShouldBe("3.12");
        After("--implementation").ShouldBe("cp");
        After("--target").ShouldBe("/t");
        args.ShouldContain("--only-binary=:all:");
        args.ShouldContain("--no-compile");
        args.ShouldContain("manylinux_2_34_x86_64");
        args.ShouldContain("--no-index");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Real_pip_installs_from_the_wheelhouse_and_the_cache_skips_a_second_run()
    {
        var request = Request("six\njmespath\n");
        var target = Path.Combine(TestEnvironment.NewTempDir("site"), "site");
        (await PipInstaller.InstallAsync(request, target, new NullStep(), force: false, CancellationToken.None)).ShouldBeTrue();
        File.Exists(Path.Combine(target, "six.py")).ShouldBeTrue();
        Directory.Exists(Path.Combine(target, "jmespath")).ShouldBeTrue();
        Directory.EnumerateFiles(target, "*.pyc", SearchOption.AllDirectories).ShouldBeEmpty("bytecode is compiled later, for the runtime");
        DistributionScanner.Scan(target).Select(d => d.NormalizedName).Order().ShouldBe(["jmespath", "six"]);
        (await PipInstaller.InstallAsync(request, target, new NullStep(), force: false, CancellationToken.None)).ShouldBeFalse();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_package_without_a_wheel_for_the_platform_names_package_runtime_and_architecture()
    {
        // pyenv's cryptography is a manylinux_2_34 wheel: it loads on python3.12 (AL2023) but not python3.11 (AL2, glibc 2.26).
        var target = Path.Combine(TestEnvironment.NewTempDir("site"), "site");
        var e = await Should.ThrowAsync<LambdaSlimException>(() => PipInstaller.InstallAsync(Request("cryptography\n"), target, new NullStep(), false, CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCode.NoCompatibleWheel);
        e.OneLine.ShouldContain("no wheel of cryptography for python3.11 on x86_64");
        Directory.Exists(target).ShouldBeFalse("nothing half-installed is left behind");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task An_unreachable_index_says_so_and_points_at_find_links()
    {
        var request = Request("six\n", options: new PipOptions { IndexUrl = "http://127.0.0.1:9/simple" });
        var target = Path.Combine(TestEnvironment.NewTempDir("site"), "site");
        var e = await Should.ThrowAsync<LambdaSlimException>(() => PipInstaller.InstallAsync(request, target, new NullStep(), false, CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCode.IndexUnreachable);
        e.OneLine.ShouldContain("--find-links");
    }

    [Fact]
    public async Task A_missing_interpreter_is_pip_not_found()
    {
        var request = Request("six\n", options: new PipOptions { Python = "/nonexistent/python3" });
        var e = await Should.ThrowAsync<LambdaSlimException>(() => PipInstaller.InstallAsync(request, TestEnvironment.NewTempDir("site"), new NullStep(), false, CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCode.ExternalToolFailed);
        e.OneLine.ShouldContain("pip not found");
    }

    [Fact]
    public void Pip_output_is_classified_into_actionable_errors()
    {
        var request = Request("six\n", options: new PipOptions());
        PipInstaller.Classify("WARNING: Retrying ... NewConnectionError ...\nERROR: No matching distribution found for six", request, "python3")
            .ExitCode.ShouldBe(ExitCode.IndexUnreachable);
        PipInstaller.Classify("/usr/bin/python3: No module named pip", request, "python3").ExitCode.ShouldBe(ExitCode.ExternalToolFailed);
        var other = PipInstaller.Classify("ERROR: Invalid requirement: '==1'", request, "python3");
        other.ExitCode.ShouldBe(ExitCode.ExternalToolFailed);
        other.OneLine.ShouldContain("Invalid requirement");
    }

    private static string Recorded(string name) =>
        File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "tests", "LambdaSlim.Tests", "Install", "PipOutput", name + ".txt"));

    [Theory]
    [InlineData("invalid-requirement", "pip failed: Invalid requirement: '==1' (from line 1 of r1.txt)")]
    [InlineData("missing-include", "pip failed: Could not open requirements file: [Errno 2] No such file or directory: 'other.txt'")]
    [InlineData("hash-mismatch", "pip failed: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.")]
    [InlineData("corrupt-wheel", "pip failed: Wheel 'broken' located at /home/user/project/wh/broken-1.0-py3-none-any.whl is invalid.")]
    [InlineData("exception-traceback", "pip failed: pip._vendor.packaging.requirements.InvalidRequirement: Parse error at \"'???bad'\":")]
    public void A_pip_failure_shows_pips_own_error_not_its_boilerplate(string recording, string expected)
    {
        var e = PipInstaller.Classify(Recorded(recording), Request("six\n", options: new PipOptions { NoIndex = true }), "python3");
        e.ExitCode.ShouldBe(ExitCode.ExternalToolFailed);
        e.OneLine.ShouldContain(expected);
        e.OneLine.ShouldNotContain("ERROR: Exception");
        e.OneLine.ShouldNotContain("originates from a subprocess");
        e.OneLine.ShouldNotContain("\n");
        e.Details.ShouldBe(Recorded(recording), "--verbose shows pip's whole output");
    }

    [Fact]
    public void A_failed_pip_subprocess_is_named_by_its_title_and_inner_errors()
    {
        PipInstaller.LastErrors(Recorded("subprocess-error")).ShouldBe(
            "pip subprocess to install build dependencies did not run successfully.; Could not find a version that satisfies the requirement setuptools>=40.8.0 (from versions: none); No matching distribution found for setuptools>=40.8.0");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Verbose_prints_pips_output_not_a_stack_trace()
    {
        var dir = TestProjects.Six();
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "==1\n");
        var (code, _, err) = await LambdaSlim.Tests.Cli.CliHarness.Run("build", dir, "--no-index", "--find-links", TestEnvironment.Wheelhouse, "--verbose");
        code.ShouldBe((int)ExitCode.ExternalToolFailed);
        err.ShouldContain("pip failed: Invalid requirement: '==1'");
        err.ShouldContain("ERROR: Invalid requirement: '==1' (from line 1 of");
        err.ShouldNotContain("LambdaSlimException");
        err.ShouldNotContain("PipInstaller.InstallAsync");
    }
}
