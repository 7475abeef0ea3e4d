using LambdaSlim.Model;
using LambdaSlim.Operate;
using LambdaSlim.Project;
using LambdaSlim.Tests.Cli;
using LambdaSlim.Validate;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Tests.Operate;

/// <summary>
/// The PackageSize metric's data points, and the example template's alarms on them: one per function, on the series
/// the deploy puts (the function with its layers), at 90% of Lambda's unzipped limit.
/// </summary>
public class PackageSizeMetricsTests
{
    private static ArtifactReport Artifact(string id, string kind, long unzipped) =>
        new(id, kind, "python3.12", "x86_64", $"{kind}s/{id}.zip", unzipped, unzipped / 3, 1, new string('0', 64), []);

    private static readonly BuildReport Report = new("lambdaslim", "1", "template.yaml", "zlib",
        [Artifact("Deps", ArtifactReport.LayerKind, 40_000_000)],
        [Artifact("Predict", ArtifactReport.FunctionKind, 1_500_000), Artifact("Validate", ArtifactReport.FunctionKind, 20_000)],
        [new("Predict", "app.handler", [new("Deps", false, 40_000_000)], 41_500_000, false), new("Validate", "app.handler", [], 20_000, false)]);

    [Fact]
    public void Each_function_of_the_stack_gets_one_point_with_its_layers_and_one_without()
    {
        var at = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

        var data = PackageSizeMetrics.For(Report, new Dictionary<string, string> { ["Predict"] = "app-predict", ["Validate"] = "app-validate" }, at);

        data.Select(d => (d.Dimensions[0].Value, d.Dimensions[1].Value, d.Value)).ShouldBe(
        [
            ("app-predict", "WithLayers", 41_500_000),
            ("app-predict", "FunctionOnly", 1_500_000),
            ("app-validate", "WithLayers", 20_000),
            ("app-validate", "FunctionOnly", 20_000),
        ]);
        data.ShouldAllBe(d => d.MetricName == "PackageSize" && d.Unit == "Bytes" && d.Timestamp == at);
        data.ShouldAllBe(d => d.Dimensions[0].Name == "FunctionName" && d.Dimensions[1].Name == "Scope");
    }

    [Fact]
    public void A_function_the_stack_does_not_name_gets_no_points()
    {
        var data = PackageSizeMetrics.For(Report, new Dictionary<string, string> { ["Validate"] = "app-validate" }, DateTimeOffset.UtcNow);

        data.ShouldAllBe(d => d.Dimensions[0].Value == "app-validate");
        data.Count.ShouldBe(2);
    }

    [Fact]
    public async Task The_deploy_policy_lets_the_deploy_put_the_metric_in_its_namespace_only()
    {
        var (code, stdout, err) = await CliHarness.Run("policy", "-p", TestEnvironment.ExampleDir, "--stack-name", "item-prediction", "--region", "eu-west-1", "--account", "123456789012");

        code.ShouldBe(0, err);
        using var policy = System.Text.Json.JsonDocument.Parse(stdout);
        var statement = policy.RootElement.GetProperty("Statement").EnumerateArray()
            .Single(s => s.GetProperty("Action").EnumerateArray().Any(a => a.GetString() == "cloudwatch:PutMetricData"));
        statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("cloudwatch:namespace").GetString().ShouldBe(PackageSizeMetrics.Namespace);
    }

    [Fact]
    public void The_example_alarms_on_every_functions_package_with_layers_at_90_percent_of_the_limit()
    {
        var template = SamTemplate.Load(Path.Combine(TestEnvironment.ExampleDir, "template.yaml"));
        var resources = template.Resources.Children.ToDictionary(p => SamTemplate.Scalar(p.Key)!, p => (YamlMappingNode)p.Value);
        var functions = resources.Where(r => SamTemplate.Scalar(SamTemplate.Child(r.Value, "Type")) == ProjectLoader.FunctionType).Select(r => r.Key).ToList();
        var alarms = resources.Values.Where(r => SamTemplate.Scalar(SamTemplate.Child(r, "Type")) == "AWS::CloudWatch::Alarm")
            .Select(r => (YamlMappingNode)SamTemplate.Child(r, "Properties")!).ToList();

        functions.Count.ShouldBe(3);
        alarms.Count.ShouldBe(functions.Count);
        var watched = new List<string>();
        foreach (var alarm in alarms)
        {
            string? Property(string name) => SamTemplate.Scalar(SamTemplate.Child(alarm, name));
            Property("Namespace").ShouldBe(PackageSizeMetrics.Namespace);
            Property("MetricName").ShouldBe(PackageSizeMetrics.MetricName);
            Property("Unit").ShouldBe(PackageSizeMetrics.Unit);
            Property("Statistic").ShouldBe("Maximum");
            long.Parse(Property("Threshold")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(SizeLimits.TotalUnzippedBytes * 9 / 10);
            Property("ComparisonOperator").ShouldBe("GreaterThanThreshold");
            var dimensions = ((YamlSequenceNode)SamTemplate.Child(alarm, "Dimensions")!).Children.Cast<YamlMappingNode>()
                .ToDictionary(d => SamTemplate.Scalar(SamTemplate.Child(d, "Name"))!, d => SamTemplate.Child(d, "Value")!);
            dimensions.Keys.ShouldBe([PackageSizeMetrics.FunctionNameDimension, PackageSizeMetrics.ScopeDimension], ignoreOrder: true);
            SamTemplate.Scalar(dimensions[PackageSizeMetrics.ScopeDimension]).ShouldBe(PackageSizeMetrics.WithLayers);
            var function = (YamlScalarNode)dimensions[PackageSizeMetrics.FunctionNameDimension];
            function.Tag.Value.ShouldBe("!Ref", "the alarm watches the name CloudFormation gives the function");
            watched.Add(function.Value!);
        }
        watched.ShouldBe(functions, ignoreOrder: true);
        SizeLimits.TotalUnzippedBytes.ShouldBe(262_144_000);
    }
}
