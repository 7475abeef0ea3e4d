using System.IO.Compression;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Pipeline;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Verify;

/// <summary>Pruning shown safe by running real CPython 3.11 on the artifacts, laid out as Lambda lays them out.</summary>
[Trait("Category", "Integration")]
public class ImportVerificationTests
{
    private static string Project(string layerMetadata) => TestProjects.Dates(layerMetadata: layerMetadata);

    [Fact]
    public async Task A_removal_that_breaks_an_import_fails_the_build_naming_module_exception_and_rule()
    {
        var dir = Project("{exclude: ['six.py']}");
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());
        result.Failed.ShouldBeTrue();
        var errors = result.Findings.Where(f => f.Severity == Severity.Error).ToList();
        errors.Count.ShouldBe(2, "six itself, and the handler that needs dateutil.parser, which needs six");
        errors.ShouldAllBe(e => e.Subject == "function Fn" && e.Message.Contains("No module named 'six'")
            && e.Message.Contains("removed by rule exclude") && e.Message.Contains("python/six.py"));
        errors.ShouldContain(e => e.Message.Contains("import app worked before pruning and fails after"));
        File.Exists(Path.Combine(dir, ".lambdaslim", "build", "layers", "Dates.zip")).ShouldBeFalse("a broken artifact is never written");
    }

    [Fact]
    public async Task Repair_puts_back_what_the_import_needed_and_verifies_again()
    {
        var dir = Project("{exclude: ['six.py']}");
        var observer = new RecordingObserver();
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings, Repair = true }, observer);
        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));
        observer.Warnings.ShouldContain(w => w.StartsWith("repair: put back 1 file in layer Dates") && w.Contains("exclude"));
        using var zip = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "layers", "Dates.zip"));
        zip.Entries.Select(e => e.FullName).ShouldContain("python/six.py");
    }

    [Fact]
    public async Task A_handler_that_fails_before_pruning_too_is_an_error_not_blamed_on_pruning()
    {
        var dir = Project("{prune: safe}");
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "import does_not_exist\n");
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());
        result.Failed.ShouldBeTrue();
        var error = result.Findings.Where(f => f.Severity == Severity.Error).ShouldHaveSingleItem();
        error.Message.ShouldContain("handler app.handler cannot be loaded (ModuleNotFoundError: No module named 'does_not_exist')");
        error.Message.ShouldNotContain("pruning");
    }

    [Fact]
    public async Task Layers_validate_checks_a_layer_on_its_own_and_writes_nothing()
    {
        var dir = Project("{prune: aggressive}");
        var result = await BuildPipeline.RunAsync(new BuildRequest
        {
            ProjectDir = dir, Scope = BuildScope.LayersOnly, LayerNames = ["Dates"], WriteArtifacts = false, Settings = ExampleBuildFixture.OfflineSettings,
        }, new RecordingObserver());
        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));
        Directory.Exists(Path.Combine(dir, ".lambdaslim", "build", "layers")).ShouldBeFalse();
    }
}
