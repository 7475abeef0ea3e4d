using System.Text.Json;
using LambdaSlim.ColdStart;
using LambdaSlim.Pipeline;
using LambdaSlim.Project;
using LambdaSlim.Runtimes;
using LambdaSlim.Tests.Pipeline;

namespace LambdaSlim.Tests.ColdStart;

/// <summary>Cold-start timing and import verification run the handler in one layout and one environment, so they cannot disagree.</summary>
[Trait("Category", "Integration")]
public class ColdStartLayoutTests
{
    private sealed record Seen(string Root, Dictionary<string, string> Env, List<string> Path);

    [Fact]
    public async Task Cold_start_and_import_verification_give_the_interpreter_the_same_environment_and_the_manifests_library_path()
    {
        var dir = TestProjects.Dates();
        var log = Path.Combine(dir, "seen.jsonl");
        // The handler records, each time it is imported, what the interpreter was given: its environment and sys.path,
        // with the layout's own folder (which differs between the two) written as <root>.
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), $$"""
            import json, os, sys
            root = os.path.dirname(os.path.dirname(os.environ["LAMBDA_TASK_ROOT"]))
            def norm(value):
                return value.replace(root, "<root>")
            with open({{JsonSerializer.Serialize(log)}}, "a") as f:
                f.write(json.dumps({"Root": root, "Env": {k: norm(v) for k, v in os.environ.items()}, "Path": [norm(p) for p in sys.path]}) + "\n")
            from dateutil import parser
            def handler(e, c):
                return parser.parse(e['when']).isoformat()
            """);

        var build = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());
        build.Failed.ShouldBeFalse(string.Join("\n", build.Findings));
        var verified = Read(log);
        verified.Count.ShouldBeGreaterThanOrEqualTo(1, "import verification imports the handler");
        File.Delete(log);

        var project = ProjectLoader.Load(dir);
        await ColdStartProbe.MeasureAsync(project, project.Functions[0], 1, eventFile: null, new RecordingObserver(), CancellationToken.None);
        var timed = Read(log);
        timed.Count.ShouldBe(2, "one import with bytecode, one without");

        var verification = verified[^1];
        foreach (var coldStart in timed)
        {
            coldStart.Root.ShouldNotBe(verification.Root);
            coldStart.Env.OrderBy(e => e.Key, StringComparer.Ordinal).ShouldBe(verification.Env.OrderBy(e => e.Key, StringComparer.Ordinal));
            coldStart.Path.ShouldBe(verification.Path);
        }

        // The library path is the runtime manifest's, each Lambda folder mapped onto this machine and the layout.
        var python = PythonFinder.Find(project.Functions[0].Runtime).ShouldNotBeNull();
        var own = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(python)!, "..", "lib"));
        var deployment = RuntimeManifest.BuiltIn.LibraryPath.Where(d => d.StartsWith("/var/task", StringComparison.Ordinal) || d.StartsWith("/opt/", StringComparison.Ordinal))
            .Select(d => "<root>" + d).ToList();
        deployment.ShouldBe(["<root>/var/task", "<root>/var/task/lib", "<root>/opt/lib"]);
        string[] hostSystem = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64"];
        verification.Env["LD_LIBRARY_PATH"].Split(':').ShouldBe([own, .. hostSystem.Where(Directory.Exists), .. deployment]);
        verification.Env["LAMBDA_TASK_ROOT"].ShouldBe("<root>/var/task");
        verification.Env["AWS_LAMBDA_FUNCTION_NAME"].ShouldNotBeNullOrEmpty();
        verification.Path.Take(3).ShouldBe(["<root>/var/task", "<root>/opt/python/lib/python3.11/site-packages", "<root>/opt/python"]);
    }

    private static List<Seen> Read(string log) =>
        File.Exists(log) ? File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Seen>(l)!).ToList() : [];
}
