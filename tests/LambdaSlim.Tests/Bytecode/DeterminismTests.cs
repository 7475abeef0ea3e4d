using System.Security.Cryptography;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Pipeline;

namespace LambdaSlim.Tests.Bytecode;

/// <summary>
/// A build is reproducible on every runtime: before 3.11, CPython marshals a constant frozenset in its iteration
/// order, which follows the string hash seed, so bytecode compiled with a random seed differs from build to build.
/// </summary>
[Trait("Category", "Integration")]
public class DeterminismTests
{
    private static string Project(string runtime)
    {
        var dir = TestEnvironment.NewTempDir("determinism");
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        var words = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"\"word{i}\""));
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), $$"""
            KNOWN = {{{words}}}
            FROZEN = frozenset({{{words}}})

            def handler(event, context):
                kind = event.get("kind")
                if kind in {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}:
                    return "greek"
                return kind in KNOWN or kind in FROZEN
            """);
        File.WriteAllText(Path.Combine(dir, "template.yaml"), $$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/, Handler: app.handler, Runtime: {{runtime}}}
            """);
        return dir;
    }

    [Theory]
    [InlineData("python3.10")]
    [InlineData("python3.9")]
    public async Task Three_clean_builds_give_the_same_zip(string runtime)
    {
        var dir = Project(runtime);
        var hashes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Clean = true, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());
            result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));
            result.Report.Functions.Single().Bytecode!.Files.ShouldBeGreaterThan(0, "the test is about compiled bytecode");
            hashes.Add(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, ".lambdaslim", "build", "functions", "Fn.zip")))));
        }
        hashes.Distinct().Count().ShouldBe(1, string.Join(", ", hashes));
    }
}
