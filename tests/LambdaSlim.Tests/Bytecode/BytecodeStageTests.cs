using LambdaSlim.Bytecode;
using LambdaSlim.Model;
using LambdaSlim.Prune;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Tests.Bytecode;

/// <summary>Prune and bytecode are functions of their inputs: a repair reruns them on new inputs and the old outcomes stay as they were.</summary>
public class BytecodeStageTests
{
    [Fact]
    public async Task A_repair_rerun_puts_the_file_back_keeps_the_vendored_library_and_leaves_the_earlier_outcomes_alone()
    {
        var dir = TestEnvironment.NewTempDir("bytecode-stage");
        string Write(string name)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, name);
            return path;
        }
        var unpruned = new ArtifactContents("python/");
        unpruned.TryAdd("python/app.py", Write("app.py"));
        unpruned.TryAdd("python/six.py", Write("six.py"), installed: true);
        unpruned.TryAdd("python/__pycache__/six.cpython-39.pyc", Write("six.cpython-39.pyc"), installed: true);
        var artifact = new PreparedArtifact("Deps", ArtifactReport.LayerKind, PythonRuntimes.Parse("python3.12", "test"), Architecture.X86_64,
            unpruned, [], Path.Combine(dir, "Deps.zip"), "layers/Deps.zip");
        var after = unpruned.Clone();
        after.Remove("python/six.py");
        var pruned = Pruner.None(unpruned) with { After = after, Plan = new PrunePlan([new PruneDecision("six.py", "exclude", null, 6)], []) };
        var vendored = new Dictionary<string, string> { ["lib/libblas.so.3"] = Write("libblas.so.3") };
        var noBytecode = new BytecodeSettings(BytecodeMode.None, SourcelessOwnCode: false);
        var observer = new RecordingObserver();

        var first = await BytecodeStage.RunAsync(artifact, pruned, vendored, noBytecode, Path.Combine(dir, "cache"), observer, CancellationToken.None);
        var restored = PruneStage.Run(pruned, new HashSet<string>(StringComparer.Ordinal) { "python/six.py" });
        var second = await BytecodeStage.RunAsync(artifact, restored, vendored, noBytecode, Path.Combine(dir, "cache"), observer, CancellationToken.None);

        first.Shipped.Paths.Order(StringComparer.Ordinal).ShouldBe(["lib/libblas.so.3", "python/app.py"]);
        second.Shipped.Paths.Order(StringComparer.Ordinal).ShouldBe(["lib/libblas.so.3", "python/app.py", "python/six.py"]);
        second.VerifyBefore.Paths.Order(StringComparer.Ordinal).ToList().ShouldBe(["python/app.py", "python/six.py"], customMessage: "bytecode of another Python never ships");
        restored.Plan.Removed.ShouldBeEmpty();
        pruned.After.Paths.ShouldNotContain("python/six.py");
        pruned.Plan.Removed.ShouldHaveSingleItem();
        artifact.Unpruned.Count.ShouldBe(3);
    }
}
