using System.IO.Compression;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Pipeline;

[Trait("Category", "Integration")]
[Collection(ExampleBuildCollection.Name)]
public class BuildPipelineTests(ExampleBuildFixture example)
{
    private static List<string> Names(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return archive.Entries.Select(e => e.FullName).ToList();
    }

    [Fact]
    public void Layer_zip_holds_installed_packages_and_the_layers_own_modules_under_python()
    {
        var names = Names(example.Output("layers/CoreDataScienceLayer.zip"));
        names.ShouldContain("python/numpy/__init__.py");
        names.ShouldContain("python/pandas/__init__.py");
        names.ShouldContain("python/item_common/__init__.py");
        names.ShouldContain(n => n.StartsWith("python/numpy-") && n.EndsWith(".dist-info/METADATA"));
        names.ShouldAllBe(n => n.StartsWith("python/"));
        names.ShouldNotContain("python/requirements.txt");
    }

    [Fact]
    public void Function_zip_leaves_out_what_its_layers_provide_and_keeps_the_rest()
    {
        var names = Names(example.Output("functions/DataValidationFunction.zip"));
        names.ShouldContain("app.py");
        names.ShouldContain("pydantic/__init__.py");
        names.ShouldContain("pydantic_core/__init__.py");
        names.ShouldNotContain(n => n.StartsWith("pandas/") || n.StartsWith("numpy/") || n.StartsWith("dateutil/"));
        example.Observer.Infos.ShouldContain(i => i.Contains("DataValidationFunction: left out") && i.Contains("pandas"));
    }

    [Fact]
    public void A_layer_that_assumes_another_leaves_out_what_that_one_provides()
    {
        var names = Names(example.Output("layers/MLLibrariesLayer.zip"));
        names.ShouldContain("python/sklearn/__init__.py");
        names.ShouldContain("python/scipy/__init__.py");
        names.ShouldNotContain(n => n.StartsWith("python/numpy/"), "CoreDataScienceLayer provides numpy");
        example.Result.Findings.ShouldNotContain(f => f.Message.Contains("twice"));
    }

    [Fact]
    public void Report_describes_every_artifact_and_the_per_function_totals()
    {
        var report = BuildReport.TryLoad(example.Output("report.json")).ShouldNotBeNull();
        report.Layers.Select(l => l.LogicalId).ShouldBe(["CoreDataScienceLayer", "MLLibrariesLayer", "AWSUtilitiesLayer"]);
        report.Functions.Count.ShouldBe(3);
        foreach (var a in report.Layers.Concat(report.Functions))
        {
            var zip = example.Output(a.Zip);
            new FileInfo(zip).Length.ShouldBe(a.ZippedBytes);
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(zip))).ShouldBe(a.Sha256);
            using var archive = ZipFile.OpenRead(zip);
            archive.Entries.Count.ShouldBe(a.FileCount);
            archive.Entries.Sum(e => e.Length).ShouldBe(a.UnzippedBytes);
        }
        var core = report.Layers[0];
        core.Distributions.ShouldContain(d => d.Name == "pandas" && d.Version == "1.5.3" && d.UnzippedBytes > 10_000_000);
        var predictions = report.Totals.Single(t => t.LogicalId == "PredictionsFunction");
        predictions.Layers.Select(l => l.Name).ShouldBe(["CoreDataScienceLayer", "MLLibrariesLayer", "AWSUtilitiesLayer"]);
        predictions.TotalUnzippedBytes.ShouldBe(report.Functions.Single(f => f.LogicalId == "PredictionsFunction").UnzippedBytes + report.Layers.Sum(l => l.UnzippedBytes));
        predictions.TotalIsLowerBound.ShouldBeFalse();
    }

    [Fact]
    public void Rewritten_template_points_at_the_zips_and_keeps_every_tag()
    {
        var original = File.ReadAllText(Path.Combine(example.ProjectDir, "template.yaml"));
        var rewritten = File.ReadAllText(example.Output("template.yaml"));
        YamlShape.Tags(rewritten).ShouldBe(YamlShape.Tags(original));
        var lines = YamlShape.Lines(rewritten);
        lines.ShouldContain("/Resources/PredictionsFunction/Properties/CodeUri - functions/PredictionsFunction.zip");
        lines.ShouldContain("/Resources/CoreDataScienceLayer/Properties/ContentUri - layers/CoreDataScienceLayer.zip");
        var changed = YamlShape.Lines(original).Except(lines).ToList();
        changed.ShouldAllBe(l => l.Contains("/CodeUri ") || l.Contains("/ContentUri "));
    }

    [Fact]
    public async Task Two_builds_in_different_folders_give_identical_zips()
    {
        var other = TestEnvironment.NewTempDir("example2");
        TestEnvironment.CopyDirectory(TestEnvironment.ExampleDir, other);
        var second = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = other, Settings = ExampleBuildFixture.OfflineSettings, Clean = true, Audit = AuditMode.Warn }, new RecordingObserver());
        var first = example.Result.Report;
        second.Report.Layers.Select(a => a.Sha256).ShouldBe(first.Layers.Select(a => a.Sha256));
        second.Report.Functions.Select(a => a.Sha256).ShouldBe(first.Functions.Select(a => a.Sha256));
    }

    [Fact]
    public void Rewritten_template_passes_cfn_lint()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("cfn-lint") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(example.Output("template.yaml"));
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, output);
    }
}
