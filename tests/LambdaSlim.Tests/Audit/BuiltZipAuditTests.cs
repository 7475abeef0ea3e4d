using System.IO.Compression;
using System.Net;
using System.Text.Json;
using LambdaSlim.Audit;
using LambdaSlim.Model;
using LambdaSlim.Pipeline;
using LambdaSlim.IO;
using LambdaSlim.Tests.Pipeline;
using LambdaSlim.Tests.Cli;
using LambdaSlim.Validate;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Tests.Audit;

/// <summary>`lambdaslim audit` reads what was built, or any zip it is given, and installs nothing.</summary>
public class BuiltZipAuditTests
{
    /// <summary>A layer of numpy (the wheelhouse's is Debian's, which would not load on Lambda) and a function that imports it.</summary>
    private static string NumpyProject()
    {
        var dir = TestEnvironment.NewTempDir("npaudit");
        Directory.CreateDirectory(Path.Combine(dir, "layer"));
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "numpy\n");
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "import numpy\ndef handler(e, c):\n    return numpy.__version__\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Numbers:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.11]}
                Metadata: {BuildMethod: python3.11}
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Numbers]}
            """);
        return dir;
    }

    private static List<(string Artifact, string Message)> ParseJson(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("artifact").GetString()!, e.GetProperty("message").GetString()!)).ToList();

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Audit_after_an_offline_build_reads_the_built_zips_finds_what_the_build_found_and_runs_no_pip()
    {
        var dir = NumpyProject();
        var build = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings, Verify = false, Audit = AuditMode.Warn }, new RecordingObserver());
        var built = build.Findings.Where(f => f.Check == "audit").Select(f => (f.Subject, f.Message)).Order().ToList();
        built.ShouldNotBeEmpty("Debian's numpy needs libraries Lambda does not have");
        built.ShouldContain(f => f.Message.Contains("needs libblas.so.3") && f.Message.Contains("of numpy"));

        // No pip options: an audit that installed would have to reach an index, and fail.
        var (code, stdout, stderr) = await CliHarness.Run("audit", dir, "--format", "json");

        code.ShouldBe(1, stderr);
        ParseJson(stdout).Order().ToList().ShouldBe(built);
        stderr.ShouldNotContain("Installing");
        Directory.Exists(Path.Combine(dir, ".lambdaslim", "work", "audit")).ShouldBeFalse("the extracted zips are removed");
    }

    [Fact]
    public async Task Audit_with_nothing_built_exits_3_and_says_to_build_first()
    {
        var dir = TestProjects.Six();

        var (code, _, stderr) = await CliHarness.Run("audit", dir);

        code.ShouldBe(3);
        stderr.ShouldContain("run 'lambdaslim build' first");
        Directory.Exists(Path.Combine(dir, ".lambdaslim")).ShouldBeFalse();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Audit_of_a_clean_build_passes_and_reads_the_function_with_its_layer()
    {
        var dir = TestProjects.Six();
        (await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings, Verify = false }, new RecordingObserver())).Failed.ShouldBeFalse();

        var (code, stdout, stderr) = await CliHarness.Run("audit", dir);

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("audit passed");
    }

    internal static string MachineExtensionModule()
    {
        var result = ProcessRunner.RunAsync("python3", ["-c", "import _ssl; print(_ssl.__file__)"]).GetAwaiter().GetResult();
        result.ExitCode.ShouldBe(0, result.StdErr);
        return result.StdOut.Trim();
    }

    internal static string Zip(string name, params (string Entry, string Source)[] files)
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("zipaudit"), name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, source) in files)
            if (File.Exists(source)) zip.CreateEntryFromFile(source, entry);
            else
            {
                using var w = new StreamWriter(zip.CreateEntry(entry).Open());
                w.Write(source);
            }
        return path;
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_layer_zip_with_an_x86_64_extension_module_audited_for_arm64_fails_on_its_architecture()
    {
        var so = MachineExtensionModule();
        var zip = Zip("ssl-layer.zip", ($"python/{Path.GetFileName(so)}", so), ("python/helper.py", "X = 1\n"));

        var (code, stdout, stderr) = await CliHarness.Run("audit", zip, "--runtime", "python3.11", "--arch", "arm64");

        code.ShouldBe(1, stderr);
        stdout.ShouldContain("layer ssl-layer.zip: 1 finding");
        stdout.ShouldContain($"python/{Path.GetFileName(so)} is built for");
        stdout.ShouldContain("but the function runs on arm64");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task The_same_zip_on_its_own_architecture_gives_json_with_no_architecture_finding()
    {
        var so = MachineExtensionModule();
        var zip = Zip("ssl-layer.zip", ($"python/{Path.GetFileName(so)}", so));

        var (code, stdout, stderr) = await CliHarness.Run("audit", zip, "--runtime", "python3.11", "--format", "json");

        code.ShouldBeOneOf([0, 1], stderr); // the machine's libssl may be newer than Lambda's: that is a finding, not the architecture
        ParseJson(stdout).ShouldAllBe(f => f.Artifact == "layer ssl-layer.zip" && !f.Message.Contains("but the function runs on"));
    }

    [Fact]
    public async Task A_pure_python_function_zip_passes()
    {
        var zip = Zip("fn.zip", ("app.py", "def handler(e, c):\n    return 1\n"), ("lib/util.py", "Y = 2\n"));

        var (code, stdout, stderr) = await CliHarness.Run("audit", zip, "--runtime", "python3.12", "--arch", "arm64");

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("audit passed: every native binary will load on python3.12 arm64");
    }

    [Fact]
    public async Task A_zip_without_runtime_and_a_project_with_one_are_usage_errors()
    {
        var zip = Zip("fn.zip", ("app.py", "X = 1\n"));
        var (code, _, stderr) = await CliHarness.Run("audit", zip);
        code.ShouldBe(2);
        stderr.ShouldContain("--runtime is required");

        (code, _, stderr) = await CliHarness.Run("audit", TestProjects.Six(), "--runtime", "python3.12");
        code.ShouldBe(2);
        stderr.ShouldContain("take theirs from the template");

        (code, _, stderr) = await CliHarness.Run("audit", zip, "--runtime", "python2.7");
        code.ShouldBe(2);
        stderr.ShouldContain("not a Python Lambda runtime");
    }

    [Fact]
    public async Task A_zip_that_does_not_exist_is_an_input_error_naming_it()
    {
        var missing = Path.Combine(TestEnvironment.NewTempDir("nozip"), "layer.zip");

        var (code, _, stderr) = await CliHarness.Run("audit", missing, "--runtime", "python3.12");

        code.ShouldBe(3);
        stderr.ShouldContain($"{missing} does not exist");
    }

    [Fact]
    public async Task A_zip_entry_that_leads_outside_is_refused_and_nothing_is_written_there()
    {
        var zip = Zip("evil.zip", ("python/../../escaped.txt", "x"));

        var (code, _, stderr) = await CliHarness.Run("audit", zip, "--runtime", "python3.12");

        code.ShouldBe(3, stderr);
        stderr.ShouldContain("leads outside");
    }
}
