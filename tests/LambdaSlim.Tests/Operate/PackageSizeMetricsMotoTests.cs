using LambdaSlim.Aws;
using LambdaSlim.Model;
using LambdaSlim.Operate;
using LambdaSlim.Project;
using LambdaSlim.Tests.Aws;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Tests.Operate;

/// <summary>
/// The PackageSize metric against moto: put after `lambdaslim deploy` under the names the stack gave its functions,
/// read back from CloudWatch; not put with --no-metrics; a refusal is a warning, not a failed deploy. And the
/// example's alarm, created from the template as CloudFormation would, watches the very series the deploy puts.
/// </summary>
[Trait("Category", "Integration")]
public class PackageSizeMetricsMotoTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly string[] Offline = ["--no-index", "--find-links", TestEnvironment.Wheelhouse, "--platform", "linux_x86_64"];

    /// <summary>A plain function (moto runs no SAM transform) with the example's kind of alarm beside it.</summary>
    private static string PlainProject(string functionName) =>
        PlainStack.Project("metric", PlainStack.Template(PlainStack.Function(functionName) + """
              AnswerPackageSizeAlarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  Namespace: Lambda/Optimization
                  MetricName: PackageSize
                  Dimensions:
                    - {Name: FunctionName, Value: !Ref Answer}
                    - {Name: Scope, Value: WithLayers}
                  Statistic: Maximum
                  Period: 300
                  EvaluationPeriods: 1
                  Threshold: 235929600
                  ComparisonOperator: GreaterThanThreshold
            """), ("src/app.py", "def handler(event, context):\n    return 1\n"));

    private static async Task<IReadOnlyList<string>> ScopesOf(CloudWatchClient cloudWatch, string functionName) =>
        [.. (await cloudWatch.ListMetricsAsync(PackageSizeMetrics.Namespace, PackageSizeMetrics.MetricName))
            .Where(d => d.Contains(new MetricDimension(PackageSizeMetrics.FunctionNameDimension, functionName)))
            .Select(d => d.Single(x => x.Name == PackageSizeMetrics.ScopeDimension).Value)];

    private static async Task<double?> Maximum(CloudWatchClient cloudWatch, string functionName, string scope)
    {
        var points = await cloudWatch.GetMetricStatisticsAsync(PackageSizeMetrics.Namespace, PackageSizeMetrics.MetricName,
            PackageSizeMetrics.Dimensions(functionName, scope), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromHours(1), ["Maximum"]);
        return points.SingleOrDefault()?.Maximum;
    }

    [Fact]
    public async Task Deploy_puts_each_functions_size_with_and_without_layers_under_its_name_in_Lambda()
    {
        var dir = PlainProject("metric-answer");

        var result = CliProcess.Run(moto.ClientEnvironment, ["deploy", "-p", dir, "--stack-name", "metric", .. Offline]);

        result.Code.ShouldBe(0, result.Err);
        result.Err.ShouldContain("put PackageSize of 1 function to CloudWatch Lambda/Optimization");
        var function = BuildReport.TryLoad(new BuildPaths(dir).Report).ShouldNotBeNull().Functions.Single();
        using var cloudWatch = new CloudWatchClient(MotoSessions.Open(moto));
        (await ScopesOf(cloudWatch, "metric-answer")).ShouldBe([PackageSizeMetrics.WithLayers, PackageSizeMetrics.FunctionOnly], ignoreOrder: true);
        (await Maximum(cloudWatch, "metric-answer", PackageSizeMetrics.FunctionOnly)).ShouldBe(function.UnzippedBytes);
        (await Maximum(cloudWatch, "metric-answer", PackageSizeMetrics.WithLayers)).ShouldBe(function.UnzippedBytes, "it has no layers");
    }

    [Fact]
    public async Task Deploy_with_no_metrics_puts_none()
    {
        var dir = PlainProject("quiet-answer");

        var result = CliProcess.Run(moto.ClientEnvironment, ["deploy", "-p", dir, "--stack-name", "quiet", "--no-metrics", .. Offline]);

        result.Code.ShouldBe(0, result.Err);
        result.Err.ShouldContain("stack quiet: CREATE_COMPLETE");
        result.Err.ShouldNotContain("PackageSize");
        using var cloudWatch = new CloudWatchClient(MotoSessions.Open(moto));
        (await ScopesOf(cloudWatch, "quiet-answer")).ShouldBeEmpty();
    }

    [Fact]
    public void A_deploy_whose_metric_CloudWatch_refuses_warns_and_succeeds()
    {
        var dir = PlainProject("denied-answer");
        using var denied = new FakeAwsEndpoint { Otherwise = (403, FakeAwsEndpoint.QueryError("AccessDenied", "not authorized to perform cloudwatch:PutMetricData")) };
        var environment = new Dictionary<string, string>(moto.ClientEnvironment) { ["AWS_ENDPOINT_URL_CLOUDWATCH"] = denied.Endpoint };

        var result = CliProcess.Run(environment, ["deploy", "-p", dir, "--stack-name", "denied", .. Offline]);

        result.Code.ShouldBe(0, result.Err);
        result.Err.ShouldContain("stack denied: CREATE_COMPLETE");
        result.Err.ShouldContain("the PackageSize metric was not put to CloudWatch (AWS denied monitoring PutMetricData");
        denied.Actions.ShouldContain("PutMetricData");
    }

    [Fact]
    public async Task The_examples_alarm_watches_the_series_the_deploy_puts()
    {
        var alarm = ExampleAlarm("PredictionsPackageSizeAlarm");
        string Property(string name) => SamTemplate.Scalar(SamTemplate.Child(alarm, name))!;
        const string Function = "item-prediction-predictions";
        // As CloudFormation creates it (moto's CloudFormation does not), with !Ref PredictionsFunction resolved to the function's name.
        var (code, output) = moto.Aws("cloudwatch", "put-metric-alarm", "--alarm-name", "item-prediction-predictions-package-size",
            "--namespace", Property("Namespace"), "--metric-name", Property("MetricName"), "--statistic", Property("Statistic"), "--unit", Property("Unit"),
            "--period", Property("Period"), "--evaluation-periods", Property("EvaluationPeriods"), "--threshold", Property("Threshold"),
            "--comparison-operator", Property("ComparisonOperator"), "--treat-missing-data", Property("TreatMissingData"),
            "--dimensions", $"Name=FunctionName,Value={Function}", $"Name=Scope,Value={PackageSizeMetrics.WithLayers}");
        code.ShouldBe(0, output);
        var session = MotoSessions.Open(moto);
        var report = new BuildReport("lambdaslim", "1", "template.yaml", "zlib", [],
            [new("PredictionsFunction", ArtifactReport.FunctionKind, "python3.11", "x86_64", "functions/PredictionsFunction.zip", 5_000_000, 2_000_000, 10, new string('0', 64), [])],
            [new("PredictionsFunction", "app.lambda_handler", [], 240_000_000, false)]);

        var put = await PackageSizeMetrics.PublishAsync(session, report, new Dictionary<string, string> { ["PredictionsFunction"] = Function }, new RecordingObserver());

        put.ShouldBe(2);
        using var cloudWatch = new CloudWatchClient(session);
        var watching = await cloudWatch.DescribeAlarmsForMetricAsync(PackageSizeMetrics.Namespace, PackageSizeMetrics.MetricName, PackageSizeMetrics.Dimensions(Function, PackageSizeMetrics.WithLayers));
        watching.Single().AlarmName.ShouldBe("item-prediction-predictions-package-size");
        watching.Single().Threshold.ShouldBe(235_929_600);
        (await Maximum(cloudWatch, Function, PackageSizeMetrics.WithLayers)).ShouldNotBeNull().ShouldBeGreaterThan(watching.Single().Threshold!.Value, "this size is one the alarm fires on");
        // moto matches alarms to a metric by name alone, so the dimensions are compared here.
        watching.Single().Dimensions.ShouldBe(PackageSizeMetrics.Dimensions(Function, PackageSizeMetrics.WithLayers), ignoreOrder: true, "the alarm is on the size with layers, which the limit counts");
    }

    private static YamlMappingNode ExampleAlarm(string logicalId)
    {
        var template = SamTemplate.Load(Path.Combine(TestEnvironment.ExampleDir, "template.yaml"));
        return (YamlMappingNode)SamTemplate.Child(SamTemplate.Child(template.Resources, logicalId), "Properties").ShouldNotBeNull();
    }

    [Fact]
    public async Task A_refused_metric_is_a_warning_and_puts_nothing()
    {
        using var denied = new FakeAwsEndpoint { Otherwise = (403, FakeAwsEndpoint.QueryError("AccessDenied", "no")) };
        var environment = new Dictionary<string, string>(moto.ClientEnvironment) { ["AWS_ENDPOINT_URL_CLOUDWATCH"] = denied.Endpoint };
        var session = AwsSession.Open(AwsOptions.Default with { RetryBaseDelay = TimeSpan.FromMilliseconds(20) }, k => environment.GetValueOrDefault(k));
        var report = new BuildReport("lambdaslim", "1", "template.yaml", "zlib", [],
            [new("Fn", ArtifactReport.FunctionKind, "python3.12", "x86_64", "functions/Fn.zip", 1000, 500, 1, new string('0', 64), [])], []);
        var observer = new RecordingObserver();

        var put = await PackageSizeMetrics.PublishAsync(session, report, new Dictionary<string, string> { ["Fn"] = "fn" }, observer);

        put.ShouldBe(0);
        observer.Warnings.Single().ShouldContain("AccessDenied");
        observer.Warnings.Single().ShouldContain("--no-metrics");
    }
}
