namespace LambdaSlim.Tests.Structure;

public class LayeringTests
{
    private static string EngineDir => Path.Combine(TestEnvironment.RepoRoot, "src", "LambdaSlim");

    [Fact]
    public void No_engine_folder_uses_a_folder_after_it_in_the_layer_order()
    {
        var files = SourceLayers.Read(EngineDir);
        files.Count.ShouldBeGreaterThan(50);
        SourceLayers.Check(files).Select(v => v.ToString()).ShouldBeEmpty();
    }

    [Fact]
    public void Every_engine_folder_is_in_the_layer_order_and_the_README_layout()
    {
        var folders = Directory.EnumerateDirectories(EngineDir).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not "obj" and not "bin").Order(StringComparer.Ordinal).ToList();
        folders.ShouldBe(SourceLayers.Order.Where(f => f != SourceLayers.Root).Order(StringComparer.Ordinal).ToList());
        var layout = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "README.md"));
        layout = layout[layout.IndexOf("## Layout", StringComparison.Ordinal)..];
        foreach (var folder in folders) layout.ShouldContain($"  {folder}/ ", customMessage: $"README's Layout lacks {folder}/");
    }

    [Theory]
    [InlineData("Model/Thing.cs", "namespace LambdaSlim.Model;\nusing LambdaSlim.Pipeline;\npublic sealed record Thing(BuildRequest R);", "Pipeline")]
    [InlineData("Prune/Thing.cs", "namespace LambdaSlim.Prune;\npublic static class Thing { static object X => LambdaSlim.Report.HtmlReport.Render(); }", "Report")]
    [InlineData("Install/Thing.cs", "namespace LambdaSlim.Install;\npublic static class Thing { static object X => Package.DeterministicZip.Write(); }", "Package")]
    public void A_use_of_a_later_folder_is_caught_in_each_form_it_can_take(string path, string text, string uses)
    {
        var files = new List<SourceLayers.SourceFile>
        {
            new(path, text),
            new("Pipeline/BuildRequest.cs", "namespace LambdaSlim.Pipeline;\npublic sealed record BuildRequest;"),
            new("Report/HtmlReport.cs", "namespace LambdaSlim.Report;\npublic static class HtmlReport;"),
            new("Package/DeterministicZip.cs", "namespace LambdaSlim.Package;\npublic static class DeterministicZip;"),
        };
        var violation = SourceLayers.Check(files).ShouldHaveSingleItem();
        violation.File.ShouldBe(path);
        violation.Uses.ShouldBe(uses);
    }

    [Fact]
    public void An_earlier_folder_a_comment_and_a_property_named_like_a_folder_are_not_uses()
    {
        var files = new List<SourceLayers.SourceFile>
        {
            new("Pipeline/Stage.cs", "namespace LambdaSlim.Pipeline;\nusing LambdaSlim.Model;\n// see Report.HtmlReport\npublic sealed record Stage(Bytes B) { object P => context.Report.HtmlReport; }"),
            new("Model/Bytes.cs", "namespace LambdaSlim.Model;\npublic static class Bytes;"),
            new("Report/HtmlReport.cs", "namespace LambdaSlim.Report;\npublic static class HtmlReport;"),
        };
        SourceLayers.Check(files).ShouldBeEmpty();
    }

    [Fact]
    public void A_folder_outside_the_order_and_a_namespace_that_does_not_match_its_folder_are_caught()
    {
        var files = new List<SourceLayers.SourceFile>
        {
            new("Helpers/Thing.cs", "namespace LambdaSlim.Helpers;\npublic static class Thing;"),
            new("Prune/Other.cs", "namespace LambdaSlim.Package;\npublic static class Other;"),
        };
        SourceLayers.Check(files).Select(v => v.File).ShouldBe(["Helpers/Thing.cs", "Prune/Other.cs"]);
    }
}
