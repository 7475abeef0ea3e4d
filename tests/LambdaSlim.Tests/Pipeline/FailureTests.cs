using LambdaSlim.Pipeline;

namespace LambdaSlim.Tests.Pipeline;

[Trait("Category", "Integration")]
public class FailureTests
{
    private static string SmallProject() => TestProjects.Six();

    [Fact]
    public async Task A_failed_build_keeps_the_last_good_zip_intact()
    {
        var dir = SmallProject();
        var good = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());
        var zip = Path.Combine(dir, ".lambdaslim", "build", "layers", "Lib.zip");
        var before = File.ReadAllBytes(zip);

        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "six\nno-such-package-anywhere\n");
        var e = await Should.ThrowAsync<LambdaSlimException>(() => BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver()));
        e.ExitCode.ShouldBe(ExitCode.NoCompatibleWheel);
        e.OneLine.ShouldContain("no-such-package-anywhere");
        File.ReadAllBytes(zip).ShouldBe(before);
        Directory.EnumerateFiles(Path.Combine(dir, ".lambdaslim", "build"), "*.tmp*", SearchOption.AllDirectories).ShouldBeEmpty();
        good.Report.Layers.ShouldHaveSingleItem().Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(before)));
    }

    /// <summary>A real, minimal pure-Python wheel, so a test can offer pip two versions of one distribution.</summary>
    internal static void WriteWheel(string dir, string name, string version, params (string Path, byte[] Bytes)[] extra)
    {
        using var zip = System.IO.Compression.ZipFile.Open(Path.Combine(dir, $"{name}-{version}-py3-none-any.whl"), System.IO.Compression.ZipArchiveMode.Create);
        void Add(string path, string text)
        {
            using var w = new StreamWriter(zip.CreateEntry(path).Open());
            w.Write(text);
        }
        var info = $"{name}-{version}.dist-info";
        Add($"{name}/__init__.py", $"__version__ = '{version}'\n");
        foreach (var (path, bytes) in extra)
        {
            using var s = zip.CreateEntry(path).Open();
            s.Write(bytes);
        }
        Add($"{info}/METADATA", $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
        Add($"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        Add($"{info}/RECORD", $"{name}/__init__.py,,\n{string.Concat(extra.Select(e => e.Path + ",,\n"))}{info}/METADATA,,\n{info}/WHEEL,,\n{info}/RECORD,,\n");
    }

    [Fact]
    public async Task A_function_pinning_another_version_than_its_layer_is_warned_with_both_versions()
    {
        var dir = SmallProject();
        var wheels = TestEnvironment.NewTempDir("wheels");
        WriteWheel(wheels, "tinypkg", "1.0");
        WriteWheel(wheels, "tinypkg", "2.0");
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "tinypkg==1.0\n");
        File.WriteAllText(Path.Combine(dir, "src", "requirements.txt"), "tinypkg==2.0\nsix\n");
        var settings = ExampleBuildFixture.OfflineSettings with { Pip = ExampleBuildFixture.OfflineSettings.Pip with { FindLinks = [wheels, TestEnvironment.Wheelhouse] } };
        var observer = new RecordingObserver();
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = settings }, observer);

        observer.Warnings.ShouldContain(w => w.Contains("function Fn wants tinypkg 2.0 but layer Lib provides 1.0"));
        using var fn = System.IO.Compression.ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "functions", "Fn.zip"));
        fn.Entries.Select(e => e.FullName).ShouldNotContain("tinypkg/__init__.py");
        fn.Entries.Select(e => e.FullName).ShouldContain("six.py", "six is not in the layer, so the function keeps it");
        result.Report.Layers.Single().Distributions.ShouldContain(d => d.Name == "tinypkg" && d.Version == "1.0");
    }

    [Fact]
    public async Task A_function_without_the_layer_another_layer_assumes_fails_validation()
    {
        var dir = SmallProject();
        Directory.CreateDirectory(Path.Combine(dir, "dates"));
        File.WriteAllText(Path.Combine(dir, "dates", "requirements.txt"), "python-dateutil\n");
        var template = File.ReadAllText(Path.Combine(dir, "template.yaml")).Replace("  Fn:\n", """
              Dates:
                Type: AWS::Serverless::LayerVersion
                Properties:
                  ContentUri: dates/
                  CompatibleRuntimes: [python3.11]
                Metadata:
                  BuildMethod: python3.11
                  LambdaSlim:
                    assumes-layers: [Lib]
              Fn:

            """).Replace("Layers: [!Ref Lib]", "Layers: [!Ref Dates]");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), template);
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());
        using (var dates = System.IO.Compression.ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "layers", "Dates.zip")))
            dates.Entries.Select(e => e.FullName).ShouldNotContain("python/six.py", "Lib provides six");
        result.Failed.ShouldBeTrue();
        result.Findings.ShouldContain(f => f.Subject == "Fn" && f.Message.Contains("add Lib to the function's Layers"));
    }
}
