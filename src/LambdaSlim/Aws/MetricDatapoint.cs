namespace LambdaSlim.Aws;

/// <summary>One period of GetMetricStatistics: the statistics asked for, null for the ones that were not.</summary>
public sealed record MetricDatapoint(DateTimeOffset Timestamp, string? Unit, double? Maximum, double? Minimum, double? Average, double? Sum, double? SampleCount);
