using LambdaSlim.Install;
using LambdaSlim.Runtimes;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Install;

/// <summary>
/// pip must pick releases for the runtime's Python, not the build machine's (3.11 here): each test wheelhouse offers
/// an old release for every Python and a new one whose Requires-Python rules out the other side of 3.11.
/// </summary>
[Trait("Category", "Integration")]
public class RequiresPythonTests
{
    private sealed class NullStep : IProgressStep
    {
        public void Report(long done, string? status = null) { }
        public void Status(string status) { }
        public void Dispose() { }
    }

    private static InstallRequest Request(string requirements, string runtime, string? python)
    {
        var wheels = TestEnvironment.NewTempDir("wheels");
        PipWheels.WriteForPython(wheels, "tinyold", "1.0", ">=3.8");
        PipWheels.WriteForPython(wheels, "tinyold", "2.0", ">=3.10");
        PipWheels.WriteForPython(wheels, "tinynew", "1.0", ">=3.8");
        PipWheels.WriteForPython(wheels, "tinynew", "2.0", ">=3.12");
        var dir = TestEnvironment.NewTempDir("pip");
        var file = Path.Combine(dir, "requirements.txt");
        File.WriteAllText(file, requirements);
        return new InstallRequest(file, PythonRuntimes.Parse(runtime, "t"), Architecture.X86_64,
            new PipOptions { NoIndex = true, FindLinks = [wheels], Python = python }, "function Fn");
    }

    private static async Task<Dictionary<string, string>> Install(InstallRequest request)
    {
        var target = Path.Combine(TestEnvironment.NewTempDir("site"), "site");
        await PipInstaller.InstallAsync(request, target, new NullStep(), force: false, CancellationToken.None);
        return DistributionScanner.Scan(target).ToDictionary(d => d.NormalizedName, d => d.Version);
    }

    // null: LambdaSlim picks the interpreter (the runtime's own when found); python3: the build machine's 3.11, so
    // only --python-version and the launcher speak for the runtime.
    [Theory]
    [InlineData("python3.9", null, "1.0", "1.0")]
    [InlineData("python3.9", "python3", "1.0", "1.0")]
    [InlineData("python3.13", null, "2.0", "2.0")]
    [InlineData("python3.13", "python3", "2.0", "2.0")]
    public async Task Pip_picks_the_newest_release_whose_Requires_Python_admits_the_runtime(string runtime, string? python, string tinyold, string tinynew)
    {
        var installed = await Install(Request("tinyold\ntinynew\n", runtime, python));
        installed["tinyold"].ShouldBe(tinyold);
        installed["tinynew"].ShouldBe(tinynew);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("python3")]
    public async Task A_pin_that_needs_a_newer_Python_than_the_build_machine_installs_for_a_newer_runtime(string? python)
    {
        var installed = await Install(Request("tinynew==2.0\n", "python3.13", python));
        installed["tinynew"].ShouldBe("2.0");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("python3")]
    public async Task A_pin_the_runtime_cannot_import_fails_naming_the_package_and_the_Pythons_it_needs(string? python)
    {
        var e = await Should.ThrowAsync<LambdaSlimException>(() => Install(Request("tinyold==2.0\n", "python3.9", python)));
        e.ExitCode.ShouldBe(ExitCode.NoCompatibleWheel);
        e.OneLine.ShouldContain("function Fn (requirements.txt): tinyold needs Python >=3.10, but python3.9 is Python 3.9");
    }

    [Fact]
    public async Task Pip_runs_under_the_runtimes_own_Python_when_one_is_found()
    {
        var request = Request("tinyold\n", "python3.9", python: null);
        var own = PythonFinder.Find(request.Runtime);
        own.ShouldNotBeNull("pyenv holds CPython 3.9 on the build machine");
        (await PipInstaller.ChoosePythonAsync(request, CancellationToken.None)).ShouldBe(own);
    }
}
