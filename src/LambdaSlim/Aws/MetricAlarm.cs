namespace LambdaSlim.Aws;

/// <summary>An alarm as DescribeAlarms and DescribeAlarmsForMetric show it.</summary>
public sealed record MetricAlarm(string AlarmName, string? Namespace, string? MetricName, IReadOnlyList<MetricDimension> Dimensions,
    string? Statistic, double? Threshold, string? ComparisonOperator, string? StateValue);
