using System.IO.Compression;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Pipeline;
using LambdaSlim.Install;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Tests.Install;

/// <summary>What pip reads and how it decides: included files, markers for the target, paths relative to the requirements file.</summary>
public class RequirementsTests
{
    private sealed class NullStep : IProgressStep
    {
        public void Report(long done, string? status = null) { }
        public void Status(string status) { }
        public void Dispose() { }
    }

    private static InstallRequest Request(string requirementsFile, Architecture architecture = Architecture.X86_64, params string[] findLinks) =>
        new(requirementsFile, PythonRuntimes.Parse("python3.11", "t"), architecture,
            new PipOptions { NoIndex = true, FindLinks = [.. findLinks, TestEnvironment.Wheelhouse] }, "layer Test");

    private static string Site() => Path.Combine(TestEnvironment.NewTempDir("site"), "site");

    [Trait("Category", "Integration")]
    [Fact]
    public void Files_pulled_in_with_r_and_c_nested_count_in_both_fingerprints()
    {
        var dir = TestEnvironment.NewTempDir("reqs");
        Directory.CreateDirectory(Path.Combine(dir, "app"));
        Directory.CreateDirectory(Path.Combine(dir, "common", "deeper"));
        var top = Path.Combine(dir, "app", "requirements.txt");
        File.WriteAllText(top, "-r ../common/base.txt\n--constraint=../common/constraints.txt\n# a comment\n");
        File.WriteAllText(Path.Combine(dir, "common", "base.txt"), "six\n--requirement deeper/more.txt  # nested, relative to base.txt\n");
        File.WriteAllText(Path.Combine(dir, "common", "deeper", "more.txt"), "jmespath\n-cpins.txt\n");
        File.WriteAllText(Path.Combine(dir, "common", "deeper", "pins.txt"), "jmespath==1.0.1\n");
        File.WriteAllText(Path.Combine(dir, "common", "constraints.txt"), "six==1.16.0\n");
        Directory.CreateDirectory(Path.Combine(dir, "app", "wheels"));
        var wheel = PipWheels.Write(Path.Combine(dir, "app", "wheels"), "tinypkg", "1.0");
        File.AppendAllText(top, "./wheels/tinypkg-1.0-py3-none-any.whl\n");

        RequirementsFiles.All(top).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ShouldBe(
            ["app/requirements.txt", "app/wheels/tinypkg-1.0-py3-none-any.whl", "common/base.txt", "common/constraints.txt", "common/deeper/more.txt", "common/deeper/pins.txt"]);

        var request = Request(top);
        var (install, requirements) = (request.Fingerprint(), request.RequirementsFingerprint());
        foreach (var edited in new[] { "common/deeper/pins.txt", "common/constraints.txt", "common/deeper/more.txt" })
        {
            File.AppendAllText(Path.Combine(dir, edited), "idna\n");
            request.Fingerprint().ShouldNotBe(install, $"editing {edited} must reinstall");
            request.RequirementsFingerprint().ShouldNotBe(requirements, $"editing {edited} makes the layer stale");
            (install, requirements) = (request.Fingerprint(), request.RequirementsFingerprint());
        }
        File.WriteAllBytes(wheel, [.. File.ReadAllBytes(wheel), 0]);
        request.Fingerprint().ShouldNotBe(install, "a rebuilt local wheel must reinstall");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Editing_an_included_requirements_file_reinstalls_with_real_pip()
    {
        var dir = TestEnvironment.NewTempDir("reqs");
        var top = Path.Combine(dir, "requirements.txt");
        File.WriteAllText(top, "-r common.txt\n");
        File.WriteAllText(Path.Combine(dir, "common.txt"), "six\n");
        var site = Site();
        (await PipInstaller.InstallAsync(Request(top), site, new NullStep(), false, CancellationToken.None)).ShouldBeTrue();
        File.Exists(Path.Combine(site, "six.py")).ShouldBeTrue();

        File.WriteAllText(Path.Combine(dir, "common.txt"), "jmespath\n");
        (await PipInstaller.InstallAsync(Request(top), site, new NullStep(), false, CancellationToken.None)).ShouldBeTrue("common.txt changed");
        Directory.Exists(Path.Combine(site, "jmespath")).ShouldBeTrue();
        File.Exists(Path.Combine(site, "six.py")).ShouldBeFalse();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Markers_are_evaluated_for_an_arm64_target_in_requirements_and_in_dependencies()
    {
        var dir = TestEnvironment.NewTempDir("markers");
        var wheels = Path.Combine(dir, "own-wheels");
        PipWheels.Write(wheels, "armonly", "1.0");
        PipWheels.Write(wheels, "x86only", "1.0");
        PipWheels.Write(wheels, "tinydep", "1.0", "armonly; platform_machine == \"aarch64\"", "x86only; platform_machine == \"x86_64\"");
        var top = Path.Combine(dir, "requirements.txt");
        File.WriteAllText(top, "click; platform_machine==\"aarch64\"\njmespath; platform_machine==\"x86_64\"\n-r more.txt\n");
        File.WriteAllText(Path.Combine(dir, "more.txt"), "six ; sys_platform == \"linux\" and python_version == \"3.11\"\ntinydep\n");

        var site = Site();
        await PipInstaller.InstallAsync(Request(top, Architecture.Arm64, wheels), site, new NullStep(), false, CancellationToken.None);
        var installed = DistributionScanner.Scan(site).Select(d => d.NormalizedName).Order(StringComparer.Ordinal).ToList();
        installed.ShouldBe(["armonly", "click", "six", "tinydep"], "the machine is aarch64, whatever the build machine is");

        var x86 = Site();
        await PipInstaller.InstallAsync(Request(top, Architecture.X86_64, wheels), x86, new NullStep(), false, CancellationToken.None);
        DistributionScanner.Scan(x86).Select(d => d.NormalizedName).Order(StringComparer.Ordinal).ShouldBe(["jmespath", "six", "tinydep", "x86only"]);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task An_arm64_layer_ships_what_its_markers_choose_for_aarch64()
    {
        var dir = TestEnvironment.NewTempDir("armlayer");
        Directory.CreateDirectory(Path.Combine(dir, "layer"));
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "click; platform_machine==\"aarch64\"\njmespath; platform_machine==\"x86_64\"\n");
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(e, c):\n    return 1\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Lib:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.11], CompatibleArchitectures: [arm64]}
                Metadata: {BuildArchitecture: arm64, BuildMethod: python3.11}
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.11, Architectures: [arm64], Layers: [!Ref Lib]}
            """);
        await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());
        using var zip = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "layers", "Lib.zip"));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        names.ShouldContain(n => n.StartsWith("python/click/", StringComparison.Ordinal));
        names.ShouldNotContain(n => n.StartsWith("python/jmespath", StringComparison.Ordinal));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Relative_paths_in_requirements_mean_the_requirements_folder_not_the_callers()
    {
        var dir = TestEnvironment.NewTempDir("relreq");
        PipWheels.Write(Path.Combine(dir, "wheels"), "tinypkg", "1.0");
        var top = Path.Combine(dir, "requirements.txt");
        File.WriteAllText(top, "./wheels/tinypkg-1.0-py3-none-any.whl\n");
        Path.GetFullPath("wheels").ShouldNotStartWith(dir, Case.Sensitive, "the test runs from elsewhere");

        var site = Site();
        (await PipInstaller.InstallAsync(Request(top), site, new NullStep(), false, CancellationToken.None)).ShouldBeTrue();
        File.ReadAllText(Path.Combine(site, "tinypkg", "__init__.py")).ShouldContain("1.0");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task An_interpreter_that_is_not_cpython_with_pip_is_refused_before_anything_is_installed()
    {
        var dir = TestEnvironment.NewTempDir("nopy");
        var top = Path.Combine(dir, "requirements.txt");
        File.WriteAllText(top, "six\n");
        var request = Request(top) with { Options = new PipOptions { NoIndex = true, FindLinks = [TestEnvironment.Wheelhouse], Python = "/bin/true" } };
        var site = Site();
        var e = await Should.ThrowAsync<LambdaSlimException>(() => PipInstaller.InstallAsync(request, site, new NullStep(), false, CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCode.ExternalToolFailed);
        e.OneLine.ShouldStartWith("--python /bin/true is not a CPython with pip (");
        e.OneLine.ShouldContain("point --python");
        Directory.Exists(site).ShouldBeFalse();
    }

    [Fact]
    public void The_interpreter_check_reads_the_interpreters_answer()
    {
        PipInstaller.InterpreterProblem(new(0, "cpython 23.2.1\n", "")).ShouldBeNull();
        PipInstaller.InterpreterProblem(new(0, "", "")).ShouldBe("it printed nothing when asked for its version and pip's");
        PipInstaller.InterpreterProblem(new(0, "pypy 24.0\n", "")).ShouldBe("it is pypy");
        PipInstaller.InterpreterProblem(new(1, "", "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nModuleNotFoundError: No module named 'pip'\n"))
            .ShouldBe("exit code 1: ModuleNotFoundError: No module named 'pip'");
    }
}
