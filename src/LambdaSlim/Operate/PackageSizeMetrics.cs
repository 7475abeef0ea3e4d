using LambdaSlim.Aws;
using LambdaSlim.Model;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Operate;

/// <summary>
/// The seed's PackageSize metric, put to CloudWatch after a deploy or sync: per function, two data points in bytes
/// unzipped, told apart by the Scope dimension. <see cref="WithLayers"/> is the function with every layer it uses
/// (what Lambda's 262,144,000-byte limit counts, and what the example's alarm watches); <see cref="FunctionOnly"/>
/// is its own package. A metric that cannot be put is a warning: the deploy it follows has already succeeded.
/// </summary>
public static class PackageSizeMetrics
{
    public const string Namespace = "Lambda/Optimization";
    public const string MetricName = "PackageSize";
    public const string Unit = "Bytes";
    public const string FunctionNameDimension = "FunctionName";
    public const string ScopeDimension = "Scope";
    public const string WithLayers = "WithLayers";
    public const string FunctionOnly = "FunctionOnly";

    /// <summary>The dimensions of one function's series.</summary>
    public static IReadOnlyList<MetricDimension> Dimensions(string functionName, string scope) =>
        [new(FunctionNameDimension, functionName), new(ScopeDimension, scope)];

    /// <summary>The data points for the functions of the build that have a name in Lambda, by logical ID.</summary>
    public static IReadOnlyList<MetricDatum> For(BuildReport report, IReadOnlyDictionary<string, string> physicalNames, DateTimeOffset at)
    {
        var data = new List<MetricDatum>();
        foreach (var function in report.Functions.OrderBy(f => f.LogicalId, StringComparer.Ordinal))
        {
            if (!physicalNames.TryGetValue(function.LogicalId, out var name)) continue;
            var total = report.Totals.FirstOrDefault(t => t.LogicalId == function.LogicalId)?.TotalUnzippedBytes ?? function.UnzippedBytes;
            data.Add(new(MetricName, total, Unit, Dimensions(name, WithLayers), at));
            data.Add(new(MetricName, function.UnzippedBytes, Unit, Dimensions(name, FunctionOnly), at));
        }
        return data;
    }

    /// <summary>Puts the build's data points; a refusal (no permission, say) is a warning. Returns how many data points were put.</summary>
    public static async Task<int> PublishAsync(AwsSession session, BuildReport report, IReadOnlyDictionary<string, string> physicalNames, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        var data = For(report, physicalNames, DateTimeOffset.UtcNow);
        var unnamed = report.Functions.Select(f => f.LogicalId).Where(id => !physicalNames.ContainsKey(id)).ToList();
        if (unnamed.Count > 0) observer.Info($"no {MetricName} metric for {string.Join(", ", unnamed)}: not a function of the stack");
        if (data.Count == 0) return 0;
        try
        {
            using var cloudWatch = new CloudWatchClient(session);
            await cloudWatch.PutMetricDataAsync(Namespace, data, cancellationToken).ConfigureAwait(false);
        }
        catch (LambdaSlimException e) when (e.ExitCode is ExitCode.AwsFailed or ExitCode.ConfigError)
        {
            observer.Warn($"the {MetricName} metric was not put to CloudWatch ({e.OneLine}); the deploy or sync itself succeeded; --no-metrics skips the metric");
            return 0;
        }
        var functions = data.Count / 2;
        observer.Info($"put {MetricName} of {functions} function{(functions == 1 ? "" : "s")} to CloudWatch {Namespace} ({WithLayers} and {FunctionOnly})");
        return data.Count;
    }

    /// <summary>After `lambdaslim deploy` succeeded: the project's committed build, under the names the stack gave its functions.</summary>
    public static async Task<int> AfterDeployAsync(DeployRequest request, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        var paths = new BuildPaths(Path.GetFullPath(request.ProjectDir));
        if (BuildReport.TryLoad(paths.Report) is not { } report)
        {
            observer.Warn($"the {MetricName} metric was not put to CloudWatch: {paths.Report} cannot be read");
            return 0;
        }
        AwsSession session;
        try
        {
            session = AwsSession.Open(request.Aws, request.Environment);
        }
        catch (LambdaSlimException e) when (e.ExitCode is ExitCode.AwsFailed or ExitCode.ConfigError)
        {
            observer.Warn($"the {MetricName} metric was not put to CloudWatch ({e.OneLine})");
            return 0;
        }
        return await PublishForStackAsync(session, request.StackName, report, observer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a deploy: the committed build's sizes, under the names the stack gave its functions. Every failure,
    /// reading the stack included, is a warning.
    /// </summary>
    public static async Task<int> PublishForStackAsync(AwsSession session, string stackName, BuildReport report, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StackFunction> functions;
        try
        {
            using var cloudFormation = new CloudFormationClient(session);
            functions = await StackResourceLookup.For(cloudFormation).FunctionsAsync(stackName, cancellationToken).ConfigureAwait(false);
        }
        catch (LambdaSlimException e) when (e.ExitCode is ExitCode.AwsFailed or ExitCode.ConfigError)
        {
            observer.Warn($"the {MetricName} metric was not put to CloudWatch: the stack's functions could not be read ({e.OneLine})");
            return 0;
        }
        var names = functions.ToDictionary(f => f.LogicalId, f => f.PhysicalName, StringComparer.Ordinal);
        return await PublishAsync(session, report, names, observer, cancellationToken).ConfigureAwait(false);
    }
}
