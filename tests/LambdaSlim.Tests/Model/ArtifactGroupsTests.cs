using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Tests.Model;

/// <summary>The groups the audit and import verification check are computed once, from the prepared artifacts alone.</summary>
public class ArtifactGroupsTests
{
    private static readonly PythonRuntime Python312 = PythonRuntimes.Parse("python3.12", "test");
    private static readonly PythonRuntime Python313 = PythonRuntimes.Parse("python3.13", "test");

    private static PreparedArtifact Layer(string id, PythonRuntime runtime, params string[] assumes) =>
        new(id, ArtifactReport.LayerKind, runtime, Architecture.Arm64, new ArtifactContents("python/"), [], $"/out/{id}.zip", $"layers/{id}.zip")
        {
            AssumesLayers = assumes.Length > 0 ? assumes : null,
        };

    private static GroupedFunction Function(string id, params string[] layers) =>
        new(new PreparedArtifact(id, ArtifactReport.FunctionKind, Python312, Architecture.X86_64, new ArtifactContents(), [], $"/out/{id}.zip", $"functions/{id}.zip"),
            layers, "app", "handler");

    [Fact]
    public void Functions_come_with_their_layers_and_each_unused_layer_with_the_layers_it_assumes()
    {
        // Shared is used by both functions; Ml assumes Shared and no function uses it; Tools stands alone; Api also
        // names a layer this build did not prepare (Elsewhere), which no group can hold.
        var layers = new[] { Layer("Shared", Python312), Layer("Ml", Python313, "Shared"), Layer("Tools", Python312) };
        var functions = new[] { Function("Api", "Shared", "Elsewhere"), Function("Worker", "Shared") };

        var groups = ArtifactGroups.Of(layers, functions).All;

        groups.Select(g => (g.Name, string.Join(" + ", g.Members))).ShouldBe(
        [
            ("function Api", "layer Shared + function Api"),
            ("function Worker", "layer Shared + function Worker"),
            ("layer Ml", "layer Shared + layer Ml"),
            ("layer Tools", "layer Tools"),
        ]);
        // A function's group runs on the function's runtime and architecture, with its handler; a lone layer's on its own.
        groups[0].ShouldBe(new ArtifactGroup("function Api", Python312, Architecture.X86_64, ["layer Shared"], "function Api", "app", "handler"), new GroupComparer());
        groups[2].Runtime.ShouldBe(Python313);
        groups[2].Architecture.ShouldBe(Architecture.Arm64);
        groups[2].Function.ShouldBeNull();
        groups[2].HandlerModule.ShouldBeNull();
    }

    [Fact]
    public void A_layer_a_function_uses_is_not_checked_on_its_own_even_when_it_assumes_others()
    {
        var layers = new[] { Layer("Base", Python312), Layer("Top", Python312, "Base") };
        var groups = ArtifactGroups.Of(layers, [Function("Api", "Base", "Top")]).All;

        groups.Select(g => string.Join(" + ", g.Members)).ShouldBe(["layer Base + layer Top + function Api"]);
    }

    /// <summary>Records compare lists by reference; groups are equal when their values are.</summary>
    private sealed class GroupComparer : IEqualityComparer<ArtifactGroup>
    {
        public bool Equals(ArtifactGroup? x, ArtifactGroup? y) =>
            x is not null && y is not null && x with { Layers = [] } == y with { Layers = [] } && x.Layers.SequenceEqual(y.Layers);

        public int GetHashCode(ArtifactGroup obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
