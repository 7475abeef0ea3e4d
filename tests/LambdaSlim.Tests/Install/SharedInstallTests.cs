using System.IO.Compression;
using LambdaSlim.Pipeline;
using LambdaSlim.Install;
using LambdaSlim.Project;
using LambdaSlim.Tests.Pipeline;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Tests.Install;

/// <summary>Resources with the same install inputs share one install, made once; an empty requirements file runs no pip.</summary>
public class SharedInstallTests
{
    /// <summary>Three functions in their own folders, each with this requirements.txt.</summary>
    private static string ThreeFunctions(string requirements)
    {
        var dir = TestEnvironment.NewTempDir("shared");
        var resources = new List<string>();
        foreach (var name in new[] { "One", "Two", "Three" })
        {
            var folder = Path.Combine(dir, name.ToLowerInvariant());
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "requirements.txt"), requirements);
            File.WriteAllText(Path.Combine(folder, "app.py"), "def handler(e, c):\n    return 1\n");
            resources.Add($$"""
                  {{name}}:
                    Type: AWS::Serverless::Function
                    Properties: {CodeUri: {{name.ToLowerInvariant()}}/, Handler: app.handler, Runtime: python3.11}
                """);
        }
        File.WriteAllText(Path.Combine(dir, "template.yaml"), "Transform: AWS::Serverless-2016-10-31\nResources:\n" + string.Join("\n", resources) + "\n");
        return dir;
    }

    private static string[] Snapshot(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Select(f => $"{Path.GetRelativePath(folder, f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}").Order(StringComparer.Ordinal).ToArray();

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Functions_with_the_same_requirements_are_installed_once_and_each_ships_the_package()
    {
        var dir = ThreeFunctions("# shared by all three\nsix\n");
        var observer = new RecordingObserver();
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, observer);

        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));
        observer.Infos.Count(i => i.StartsWith("Installing ", StringComparison.Ordinal)).ShouldBe(1, string.Join("\n", observer.Infos));
        observer.Infos.ShouldContain("function Two: same requirements, runtime and architecture as function One, so it uses that install");
        foreach (var name in new[] { "One", "Two", "Three" })
        {
            using var zip = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "functions", name + ".zip"));
            zip.Entries.Select(e => e.FullName).ShouldContain("six.py", name);
            zip.Entries.Select(e => e.FullName).ShouldContain("app.py", name);
        }
        var installs = Directory.GetDirectories(Path.Combine(dir, ".lambdaslim", "work", "installs"));
        installs.Length.ShouldBe(1);

        // The shared install is read-only input: pruning, stripping and bytecode write elsewhere.
        var before = Snapshot(installs[0]);
        before.ShouldNotContain(f => f.Contains(".pyc", StringComparison.Ordinal));
        (await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver())).Failed.ShouldBeFalse();
        Snapshot(installs[0]).ShouldBe(before);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_requirements_file_of_comments_and_blank_lines_runs_no_pip()
    {
        var dir = ThreeFunctions("# nothing yet\n\n   # still nothing\n");
        // An interpreter that does not exist: were pip started, the build would fail with "pip not found".
        var settings = ExampleBuildFixture.OfflineSettings with { Pip = ExampleBuildFixture.OfflineSettings.Pip with { Python = "/nonexistent/python3" } };
        var observer = new RecordingObserver();
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = settings }, observer);

        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));
        observer.Infos.ShouldNotContain(i => i.StartsWith("Installing ", StringComparison.Ordinal));
        using var zip = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "functions", "One.zip"));
        zip.Entries.Select(e => e.FullName).ShouldBe(["app.py", "requirements.txt", "__pycache__/app.cpython-311.pyc"], ignoreOrder: true);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task An_edited_requirements_file_gets_its_own_install_and_the_old_one_is_removed_once_unused()
    {
        var dir = ThreeFunctions("six\n");
        (await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver())).Failed.ShouldBeFalse();
        var installs = Path.Combine(dir, ".lambdaslim", "work", "installs");
        var first = Directory.GetDirectories(installs).Single();

        File.WriteAllText(Path.Combine(dir, "two", "requirements.txt"), "six\njmespath\n");
        (await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver())).Failed.ShouldBeFalse();
        Directory.GetDirectories(installs).Length.ShouldBe(2, "One and Three still share the first install");
        using (var two = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "functions", "Two.zip")))
            two.Entries.ShouldContain(e => e.FullName.StartsWith("jmespath/", StringComparison.Ordinal));
        using (var one = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "functions", "One.zip")))
            one.Entries.ShouldNotContain(e => e.FullName.StartsWith("jmespath/", StringComparison.Ordinal));

        foreach (var name in new[] { "one", "three" }) File.WriteAllText(Path.Combine(dir, name, "requirements.txt"), "six\njmespath\n");
        (await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver())).Failed.ShouldBeFalse();
        Directory.Exists(first).ShouldBeFalse("no resource uses the first install any more");
        Directory.GetDirectories(installs).Length.ShouldBe(1);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Cleaning_a_layer_removes_its_install_when_nothing_else_uses_it()
    {
        var dir = TestProjects.Six();
        (await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver())).Failed.ShouldBeFalse();
        var installs = Path.Combine(dir, ".lambdaslim", "work", "installs");
        Directory.GetDirectories(installs).Length.ShouldBe(1);

        var project = ProjectLoader.Load(dir);
        await LayerStatus.CleanAsync(project, project.Layers, CancellationToken.None);
        Directory.GetDirectories(installs).ShouldBeEmpty();
    }

    [Fact]
    public void Requirements_that_name_a_local_folder_are_never_shared_between_folders()
    {
        InstallRequest Request(string text)
        {
            var file = Path.Combine(TestEnvironment.NewTempDir("req"), "requirements.txt");
            File.WriteAllText(file, text);
            return new InstallRequest(file, PythonRuntimes.Parse("python3.11", "t"), Architecture.X86_64, new PipOptions { NoIndex = true }, "function Fn");
        }
        Request("six\n").Fingerprint().ShouldBe(Request("six\n").Fingerprint());
        Request("-e .\n").Fingerprint().ShouldNotBe(Request("-e .\n").Fingerprint());
        Request("./lib\n").Fingerprint().ShouldNotBe(Request("./lib\n").Fingerprint());
    }
}
