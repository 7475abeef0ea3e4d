using System.Security.Cryptography;
using LambdaSlim.Cache;
using LambdaSlim.Model;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// A build reuses what did not change since the last one: an unchanged artifact keeps its zip byte for byte, a group
/// whose inputs are the same is not audited or verified again, and a build that would change nothing writes nothing.
/// Every input an artifact's key covers makes it build again when it changes.
/// </summary>
public class IncrementalBuildTests
{
    private static Task<BuildResult> Build(string dir, RecordingObserver? observer = null, bool noCache = false, IReadOnlyDictionary<string, string>? pythonFor = null) =>
        BuildPipeline.RunAsync(new BuildRequest
        {
            ProjectDir = dir,
            NoCache = noCache,
            Settings = ExampleBuildFixture.OfflineSettings with { PythonFor = pythonFor ?? new Dictionary<string, string>() },
        }, observer ?? new RecordingObserver());

    /// <summary>Every file of the committed build: its path, sha256 and modification time.</summary>
    private static Dictionary<string, (string Sha, DateTime Written)> Outputs(string dir)
    {
        var build = Path.Combine(dir, ".lambdaslim", "build");
        return Directory.EnumerateFiles(build, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(build, f),
            f => (Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f)));
    }

    private static string KeyOf(BuildResult result, string logicalId) =>
        result.Report.Layers.Concat(result.Report.Functions).Single(a => a.LogicalId == logicalId).InputKey!;

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_build_with_nothing_changed_writes_nothing_and_says_so()
    {
        var dir = TestProjects.Dates();
        var first = await Build(dir);
        first.Failed.ShouldBeFalse(string.Join("\n", first.Findings));
        first.Unchanged.ShouldBeFalse();
        var before = Outputs(dir);
        before.Keys.ShouldContain("layers/Dates.zip");

        var observer = new RecordingObserver();
        var second = await Build(dir, observer);

        second.Unchanged.ShouldBeTrue();
        second.Failed.ShouldBeFalse(string.Join("\n", second.Findings));
        Outputs(dir).ShouldBe(before);
        second.Report.ToJson().ShouldBe(first.Report.ToJson());
        observer.Infos.ShouldNotContain(i => i.StartsWith("Compressing", StringComparison.Ordinal) || i.StartsWith("Verifying imports", StringComparison.Ordinal)
            || i.StartsWith("Compiling bytecode", StringComparison.Ordinal));
        Directory.EnumerateDirectories(Path.Combine(dir, ".lambdaslim")).Select(Path.GetFileName).ShouldNotContain(d => d!.StartsWith(BuildPaths.StagingPrefix, StringComparison.Ordinal));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Editing_a_handler_rebuilds_only_that_function_and_checks_its_group_again()
    {
        var dir = TestProjects.Dates();
        var first = await Build(dir);
        first.Failed.ShouldBeFalse(string.Join("\n", first.Findings));
        var before = Outputs(dir);

        File.AppendAllText(Path.Combine(dir, "src", "app.py"), "\nGREETING = 'edited'\n");
        var observer = new RecordingObserver();
        var second = await Build(dir, observer);

        second.Failed.ShouldBeFalse(string.Join("\n", second.Findings));
        second.Unchanged.ShouldBeFalse();
        var after = Outputs(dir);
        after["layers/Dates.zip"].ShouldBe(before["layers/Dates.zip"]);
        after["functions/Fn.zip"].Sha.ShouldNotBe(before["functions/Fn.zip"].Sha);
        KeyOf(second, "Dates").ShouldBe(KeyOf(first, "Dates"));
        KeyOf(second, "Fn").ShouldNotBe(KeyOf(first, "Fn"));
        observer.Infos.ShouldContain("layer Dates: unchanged since the last build, its zip is kept as it was");
        observer.Infos.ShouldContain(i => i.StartsWith("Verifying imports", StringComparison.Ordinal), "the function's group is verified again");
        observer.Infos.ShouldContain(i => i.StartsWith("Compressing function Fn", StringComparison.Ordinal));
        observer.Infos.ShouldNotContain(i => i.StartsWith("Compressing layer", StringComparison.Ordinal));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Editing_a_file_the_requirements_pull_in_with_dash_r_rebuilds_the_layer()
    {
        var dir = TestProjects.Dates();
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "-r base.txt\n");
        File.WriteAllText(Path.Combine(dir, "layer", "base.txt"), "python-dateutil\n");
        var first = await Build(dir);
        first.Failed.ShouldBeFalse(string.Join("\n", first.Findings));

        File.WriteAllText(Path.Combine(dir, "layer", "base.txt"), "python-dateutil\nsix\nattrs\n");
        var second = await Build(dir);

        second.Failed.ShouldBeFalse(string.Join("\n", second.Findings));
        KeyOf(second, "Dates").ShouldNotBe(KeyOf(first, "Dates"));
        second.Report.Layers.Single().Distributions.Select(d => d.Name).ShouldContain("attrs");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Changing_a_setting_rebuilds_the_resource_it_is_on()
    {
        var dir = TestProjects.Dates();
        var first = await Build(dir);
        first.Failed.ShouldBeFalse(string.Join("\n", first.Findings));

        var template = Path.Combine(dir, "template.yaml");
        File.WriteAllText(template, File.ReadAllText(template).Replace("LambdaSlim: {}", "LambdaSlim: {bytecode: none}", StringComparison.Ordinal));
        var second = await Build(dir);

        second.Failed.ShouldBeFalse(string.Join("\n", second.Findings));
        second.Unchanged.ShouldBeFalse();
        KeyOf(second, "Dates").ShouldNotBe(KeyOf(first, "Dates"));
        second.Report.Layers.Single().Bytecode!.Mode.ShouldBe("none");
        second.Report.Layers.Single().Sha256.ShouldNotBe(first.Report.Layers.Single().Sha256);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Switching_the_interpreter_rebuilds_what_its_bytecode_came_from()
    {
        var pyenv = Path.Combine(Environment.GetEnvironmentVariable("PYENV_ROOT") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv"),
            "versions", "3.11.7", "bin", "python3.11");
        const string System311 = "/usr/bin/python3.11";
        File.Exists(pyenv).ShouldBeTrue($"this machine has pyenv's CPython 3.11 at {pyenv}");
        File.Exists(System311).ShouldBeTrue($"this machine has Debian's CPython 3.11 at {System311}");
        var dir = TestProjects.Dates();
        var first = await Build(dir, pythonFor: new Dictionary<string, string> { ["3.11"] = pyenv });
        first.Failed.ShouldBeFalse(string.Join("\n", first.Findings));

        var second = await Build(dir, pythonFor: new Dictionary<string, string> { ["3.11"] = System311 });

        second.Unchanged.ShouldBeFalse();
        KeyOf(second, "Dates").ShouldNotBe(KeyOf(first, "Dates"));
        second.Report.Layers.Single().Bytecode!.Python.ShouldBe(System311);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task No_cache_runs_every_stage_again_and_makes_the_same_bytes()
    {
        var dir = TestProjects.Dates();
        var first = await Build(dir);
        first.Failed.ShouldBeFalse(string.Join("\n", first.Findings));
        var before = Outputs(dir);

        var observer = new RecordingObserver();
        var again = await Build(dir, observer, noCache: true);

        again.Unchanged.ShouldBeFalse();
        observer.Infos.ShouldContain(i => i.StartsWith("Compressing layer Dates", StringComparison.Ordinal));
        observer.Infos.ShouldContain(i => i.StartsWith("Verifying imports", StringComparison.Ordinal));
        var after = Outputs(dir);
        after["layers/Dates.zip"].Sha.ShouldBe(before["layers/Dates.zip"].Sha);
        after["functions/Fn.zip"].Sha.ShouldBe(before["functions/Fn.zip"].Sha);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_changed_zip_in_the_build_is_made_again_not_trusted()
    {
        var dir = TestProjects.Dates();
        var first = await Build(dir);
        first.Failed.ShouldBeFalse(string.Join("\n", first.Findings));
        var zip = Path.Combine(dir, ".lambdaslim", "build", "layers", "Dates.zip");
        File.AppendAllText(zip, "tampered");

        var second = await Build(dir);

        second.Unchanged.ShouldBeFalse();
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zip))).ShouldBe(first.Report.Layers.Single().Sha256);
    }

    [Fact]
    public void Each_input_of_an_artifact_key_changes_the_key()
    {
        var dir = TestEnvironment.NewTempDir("keys");
        var source = Path.Combine(dir, "app.py");
        File.WriteAllText(source, "x = 1\n");
        var hashes = FileHashes.Open(Path.Combine(dir, "hashes.json"));
        var contents = new ArtifactContents();
        contents.TryAdd("app.py", source);
        var artifact = new PreparedArtifact("Fn", ArtifactReport.FunctionKind, Runtimes.PythonRuntimes.Parse("python3.11", "test"), Architecture.X86_64,
            contents, [], "functions/Fn.zip", "functions/Fn.zip");
        var inputs = new ArtifactInputs("prune: safe\n", "", "rules-1", "/usr/bin/python3.11\t1\t2", "deflate, optimal");
        var key = StageKeys.Artifact(artifact, hashes, inputs);

        StageKeys.Artifact(artifact, hashes, inputs).ShouldBe(key, "the same inputs give the same key");
        StageKeys.Artifact(artifact, hashes, inputs with { Settings = "prune: none\n" }).ShouldNotBe(key);
        StageKeys.Artifact(artifact, hashes, inputs with { Defaults = "strip: false\n" }).ShouldNotBe(key);
        StageKeys.Artifact(artifact, hashes, inputs with { RulePacks = "rules-2" }).ShouldNotBe(key);
        StageKeys.Artifact(artifact, hashes, inputs with { Interpreter = "/other/python3.11\t1\t2" }).ShouldNotBe(key);
        StageKeys.Artifact(artifact, hashes, inputs with { Compressor = "deflate, fastest" }).ShouldNotBe(key);
        StageKeys.Artifact(artifact with { Architecture = Architecture.Arm64 }, hashes, inputs).ShouldNotBe(key);
        File.WriteAllText(source, "x = 2\n");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(1));
        StageKeys.Artifact(artifact, hashes, inputs).ShouldNotBe(key, "a file's bytes are part of the key");
    }

    [Fact]
    public void The_built_in_rule_packs_and_manifest_have_fingerprints_for_the_keys()
    {
        LambdaSlim.Prune.PruneRulePack.Fingerprint.Length.ShouldBe(64);
        Runtimes.RuntimeManifest.BuiltIn.Fingerprint.Length.ShouldBe(64);
    }
}
