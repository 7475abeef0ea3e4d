using System.IO.Compression;
using LambdaSlim.Pipeline;
using LambdaSlim.Project;
using LambdaSlim.Tests.Pipeline;
using LambdaSlim.ColdStart;

namespace LambdaSlim.Tests.Bytecode;

[Trait("Category", "Integration")]
public class BytecodeTests
{
    private static string Project(string runtime = "python3.11", string layerMetadata = "{}", string functionMetadata = "{}") =>
        TestProjects.Dates(runtime, layerMetadata, functionMetadata);

    private static Task<BuildResult> Build(string dir) =>
        BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());

    private static ZipArchive Zip(string dir, string relative) => ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", relative));

    [Fact]
    public async Task Compile_ships_unchecked_hash_pyc_for_the_runtimes_python()
    {
        var dir = Project();
        (await Build(dir)).Failed.ShouldBeFalse();
        using var layer = Zip(dir, "layers/Dates.zip");
        var pyc = layer.GetEntry("python/dateutil/__pycache__/relativedelta.cpython-311.pyc").ShouldNotBeNull();
        layer.GetEntry("python/dateutil/relativedelta.py").ShouldNotBeNull("compile keeps the source for tracebacks");
        using var s = pyc.Open();
        var header = new byte[16];
        s.ReadExactly(header);
        BitConverter.ToUInt32(header, 4).ShouldBe(1u, "PEP 552 flags: hash-based (bit 0) and not checked against the source (bit 1 clear)");
        using var fn = Zip(dir, "functions/Fn.zip");
        fn.GetEntry("__pycache__/app.cpython-311.pyc").ShouldNotBeNull();
    }

    [Fact]
    public async Task Sourceless_drops_third_party_sources_but_keeps_the_users_own_code_and_is_no_bigger()
    {
        var compiled = Project();
        var sourceless = Project(layerMetadata: "{bytecode: sourceless}", functionMetadata: "{bytecode: sourceless}");
        var a = await Build(compiled);
        var b = await Build(sourceless);
        b.Failed.ShouldBeFalse(string.Join("\n", b.Findings));
        using (var layer = Zip(sourceless, "layers/Dates.zip"))
        {
            layer.GetEntry("python/dateutil/relativedelta.pyc").ShouldNotBeNull();
            layer.GetEntry("python/dateutil/relativedelta.py").ShouldBeNull();
        }
        using (var fn = Zip(sourceless, "functions/Fn.zip"))
        {
            fn.GetEntry("app.py").ShouldNotBeNull("the user's handler stays readable unless sourceless-own-code is set");
        }
        b.Report.Layers[0].ZippedBytes.ShouldBeLessThanOrEqualTo(a.Report.Layers[0].ZippedBytes);
    }

    [Fact]
    public async Task Bytecode_an_install_brought_for_another_python_is_dropped_even_without_pruning()
    {
        var dir = Project(layerMetadata: "{prune: none}");
        var wheels = TestEnvironment.NewTempDir("wheels");
        FailureTests.WriteWheel(wheels, "tinypkg", "1.0", ("tinypkg/__pycache__/__init__.cpython-310.pyc", new byte[64]));
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "python-dateutil\ntinypkg\n");
        var settings = ExampleBuildFixture.OfflineSettings with { Pip = ExampleBuildFixture.OfflineSettings.Pip with { FindLinks = [wheels, TestEnvironment.Wheelhouse] } };
        (await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = settings }, new RecordingObserver())).Failed.ShouldBeFalse();
        using var layer = Zip(dir, "layers/Dates.zip");
        var names = layer.Entries.Select(e => e.FullName).ToList();
        names.ShouldNotContain("python/tinypkg/__pycache__/__init__.cpython-310.pyc");
        names.ShouldContain("python/tinypkg/__pycache__/__init__.cpython-311.pyc");
    }

    [Fact]
    public async Task Each_runtime_gets_bytecode_from_its_own_python_version()
    {
        var dir = Project(runtime: "python3.12");
        (await Build(dir)).Failed.ShouldBeFalse();
        using var fn = Zip(dir, "functions/Fn.zip");
        fn.Entries.Select(e => e.FullName).ShouldContain("__pycache__/app.cpython-312.pyc");
        fn.Entries.Select(e => e.FullName).ShouldNotContain(n => n.Contains("cpython-311"));
    }

    [Fact]
    public async Task Without_a_matching_python_it_warns_and_ships_no_bytecode()
    {
        var dir = Project(runtime: "python3.14");
        var observer = new RecordingObserver();
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, observer);
        observer.Warnings.ShouldContain(w => w.Contains("no CPython 3.14 found") && w.Contains("ships without bytecode"));
        using var fn = Zip(dir, "functions/Fn.zip");
        fn.Entries.ShouldNotContain(e => e.FullName.EndsWith(".pyc"));
        result.Findings.ShouldContain(f => f.Message.Contains("import verification skipped"));
    }

    [Fact]
    public async Task ColdStart_measures_the_handler_import_and_invokes_it_with_an_event()
    {
        var dir = Project();
        (await Build(dir)).Failed.ShouldBeFalse();
        var eventFile = Path.Combine(dir, "event.json");
        File.WriteAllText(eventFile, """{"when": "2024-01-02 03:04"}""");
        var project = ProjectLoader.Load(dir);
        var result = await ColdStartProbe.MeasureAsync(project, project.Functions[0], 3, eventFile, new RecordingObserver(), CancellationToken.None);
        result.MedianImportMs.ShouldBeGreaterThan(0);
        result.MedianImportNoBytecodeMs.ShouldBeGreaterThan(0);
        // Which modules are slowest depends on the machine's load: assert the shape of the measurement, not its order.
        var modules = result.Slowest;
        modules.Count.ShouldBeInRange(1, 10);
        modules.ShouldAllBe(m => m.Module.Length > 0 && m.Module != "app" && m.SelfMs >= 0 && m.CumulativeMs >= m.SelfMs);
        result.InvocationResult.ShouldBe("\"2024-01-02T03:04:00\"");
        ColdStartProbe.Load(Path.Combine(dir, ".lambdaslim", "build")).ShouldContainKey("Fn");
    }
}
