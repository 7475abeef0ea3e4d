using System.Diagnostics;
using System.IO.Compression;
using LambdaSlim.Build;
using LambdaSlim.Tests.Project;

namespace LambdaSlim.Tests.Build;

/// <summary>
/// Functions that share their properties through a YAML alias or a merge key each deploy their own package:
/// the rewrite gives every resource its own CodeUri, and the result passes real cfn-lint.
/// </summary>
public class TemplateRewriterTests
{
    private const string SharedProperties = """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:  {Type: AWS::Serverless::Function, Properties: &props {CodeUri: fn/, Handler: app.handler, Runtime: python3.12, Timeout: 5}}
          Fn3: {Type: AWS::Serverless::Function, Properties: *props, Metadata: {LambdaSlim: {exclude: ["data/**"]}}}
          Fn4:
            Type: AWS::Serverless::Function
            Properties:
              <<: *props
              Handler: app.other
        """;

    private static string Project()
    {
        var dir = TestEnvironment.NewTempDir("alias");
        Directory.CreateDirectory(Path.Combine(dir, "fn", "data"));
        File.WriteAllText(Path.Combine(dir, "fn", "app.py"), "import six\ndef handler(e, c):\n    return six.PY3\ndef other(e, c):\n    return 2\n");
        File.WriteAllText(Path.Combine(dir, "fn", "data", "model.json"), "{\"weights\": [1, 2, 3]}\n");
        File.WriteAllText(Path.Combine(dir, "fn", "requirements.txt"), "six\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), SharedProperties);
        return dir;
    }

    private static (int Code, string Output) CfnLint(string template)
    {
        var psi = new ProcessStartInfo("cfn-lint") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(template);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Result + error);
    }

    [Fact]
    public void Each_function_sharing_an_alias_or_a_merge_key_gets_its_own_CodeUri()
    {
        var dir = Project();
        var output = Path.Combine(dir, ".lambdaslim", "build");
        var zips = new Dictionary<string, string> { ["Fn"] = "functions/Fn.zip", ["Fn3"] = "functions/Fn3.zip", ["Fn4"] = "functions/Fn4.zip" };
        var lines = YamlShape.Lines(TemplateRewriter.Rewrite(Path.Combine(dir, "template.yaml"), output, zips));
        lines.ShouldContain("/Resources/Fn/Properties/CodeUri - functions/Fn.zip");
        lines.ShouldContain("/Resources/Fn3/Properties/CodeUri - functions/Fn3.zip");
        lines.ShouldContain("/Resources/Fn4/Properties/CodeUri - functions/Fn4.zip");
        lines.ShouldContain("/Resources/Fn4/Properties/Handler - app.other");
        lines.ShouldContain("/Resources/Fn4/Properties/Timeout - 5");
        lines.ShouldNotContain(l => l.Contains("<<"));
    }

    [Fact]
    public async Task A_real_build_deploys_each_functions_own_package_and_passes_cfn_lint()
    {
        var dir = Project();
        (CfnLint(Path.Combine(dir, "template.yaml")).Code).ShouldBe(0, "cfn-lint accepts the aliases and the merge key as written");
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());
        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));

        var output = Path.Combine(dir, ".lambdaslim", "build");
        var template = Path.Combine(output, "template.yaml");
        var lines = YamlShape.Lines(File.ReadAllText(template));
        lines.ShouldContain("/Resources/Fn/Properties/CodeUri - functions/Fn.zip");
        lines.ShouldContain("/Resources/Fn3/Properties/CodeUri - functions/Fn3.zip");
        lines.ShouldContain("/Resources/Fn4/Properties/CodeUri - functions/Fn4.zip");
        var (code, lint) = CfnLint(template);
        code.ShouldBe(0, lint);

        List<string> Names(string id)
        {
            using var zip = ZipFile.OpenRead(Path.Combine(output, "functions", $"{id}.zip"));
            return zip.Entries.Select(e => e.FullName).ToList();
        }
        Names("Fn").ShouldContain("data/model.json");
        Names("Fn").ShouldContain("six.py");
        Names("Fn3").ShouldNotContain("data/model.json", "Fn3's own settings exclude data/**");
        Names("Fn3").ShouldContain("six.py");
        Names("Fn4").ShouldContain("data/model.json");
        result.Report.Functions.Single(f => f.LogicalId == "Fn").Sha256.ShouldNotBe(result.Report.Functions.Single(f => f.LogicalId == "Fn3").Sha256);
        result.Report.Totals.Single(t => t.LogicalId == "Fn4").Handler.ShouldBe("app.other");
    }
}
