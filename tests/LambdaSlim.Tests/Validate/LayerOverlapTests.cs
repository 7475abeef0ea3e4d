using LambdaSlim.Validate;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Validate;

/// <summary>The duplicate-distribution warning never advises a layer to assume itself (which is then refused as a cycle).</summary>
public class LayerOverlapTests
{
    private static ArtifactReport Layer(string id, params string[] distributions) =>
        new(id, ArtifactReport.LayerKind, "python3.11", "x86_64", $"layers/{id}.zip", 1000, 500, 1, "00",
            distributions.Select(d => new DistributionSize(d, "1.0", 100)).ToList());

    private static BuildReport Report(IReadOnlyList<ArtifactReport> layers, params string[] functionLayers) =>
        new("lambdaslim", "0", "template.yaml", "libdeflate", layers, [],
            [new FunctionTotalReport("Fn", "app.handler", functionLayers.Select(l => new FunctionLayerReport(l, false, 1000)).ToList(), 3000, false)]);

    [Fact]
    public void A_layer_listed_twice_in_an_old_report_is_not_an_overlap_with_itself()
    {
        LimitCheck.LayerOverlaps(Report([Layer("Lib", "six")], "Lib", "Lib")).ShouldBeEmpty();
    }

    [Fact]
    public void Two_layers_carrying_one_distribution_are_told_to_assume_the_other()
    {
        var finding = LimitCheck.LayerOverlaps(Report([Layer("A", "six"), Layer("B", "six")], "A", "B")).ShouldHaveSingleItem();
        finding.Message.ShouldContain("assumes-layers: [A]' on B");
    }
}
