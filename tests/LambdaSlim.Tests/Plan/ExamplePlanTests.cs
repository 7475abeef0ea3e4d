using LambdaSlim.Model;
using LambdaSlim.Plan;
using LambdaSlim.Tests.Pipeline;
using Xunit.Abstractions;

namespace LambdaSlim.Tests.Plan;

/// <summary>The plan of the example app (item-prediction), against the seed's hand-made three-layer split, in bytes per function.</summary>
[Trait("Category", "Integration")]
[Collection(ExampleBuildCollection.Name)]
public class ExamplePlanTests(ExampleBuildFixture example, ITestOutputHelper output)
{
    [Fact]
    public async Task The_example_gets_a_valid_plan_no_function_loads_more_than_with_the_seeds_split_and_only_Predictions_loads_scipy()
    {
        var report = await PlanRunner.RunAsync(new PlanRequest { ProjectDir = example.ProjectDir }, new RecordingObserver());
        foreach (var f in report.Plan.Functions)
            output.WriteLine($"{f.LogicalId}: plan {Bytes.Exact(f.LoadedBytes)} with {f.LayerCount} layers; seed's split {Bytes.Exact(report.LoadedNow[f.LogicalId])} with {report.LayersNow[f.LogicalId]}");

        report.Plan.Fits.ShouldBeTrue();
        report.Plan.Method.ShouldBe(PlanMethod.Exact);
        report.Plan.ExtraLoadedBytes.ShouldBe(0);
        foreach (var f in report.Plan.Functions)
        {
            f.LayerCount.ShouldBeLessThanOrEqualTo(5);
            f.LoadedBytes.ShouldBeLessThanOrEqualTo(report.LoadedNow[f.LogicalId], f.LogicalId);
        }
        // FeatureEngineering imports neither boto3 nor scikit-learn: it stops loading the AWS layer.
        var features = report.Plan.Functions.Single(f => f.LogicalId == "FeatureEngineeringFunction");
        features.Layers.ShouldBe(["CoreDataScienceLayer"]);
        features.LoadedBytes.ShouldBeLessThan(report.LoadedNow["FeatureEngineeringFunction"]);
        // scipy: only Predictions needs it (through scikit-learn), so it is in that function's package and in no layer.
        report.Plan.Layers.SelectMany(l => l.Items).ShouldNotContain(i => i.Name == "scipy");
        report.Plan.Functions.Single(f => f.LogicalId == "PredictionsFunction").InPackage.Select(i => i.Name).ShouldContain("scipy");
        // The lazily imported boto3 keeps the AWS layer for the two functions that import it.
        report.Plan.Layers.Single(l => l.Name == "AWSUtilitiesLayer").UsedBy.ShouldBe(["DataValidationFunction", "PredictionsFunction"]);
        // The shared item_common package stays in the core layer, which every function imports.
        report.Plan.Layers.Single(l => l.Name == "CoreDataScienceLayer").Items.ShouldContain(i => i.OwnFilesOf == "CoreDataScienceLayer");
        report.Changes.ShouldContain(c => c.StartsWith("scipy, scikit-learn, joblib, threadpoolctl", StringComparison.Ordinal)
            && c.EndsWith("moved from MLLibrariesLayer to PredictionsFunction's package: only PredictionsFunction needs them", StringComparison.Ordinal));
    }
}
