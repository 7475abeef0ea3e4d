namespace LambdaSlim.Aws;

/// <summary>One data point for PutMetricData.</summary>
/// <param name="Unit">One of CloudWatch's units: Bytes, Count, Milliseconds…</param>
public sealed record MetricDatum(string MetricName, double Value, string Unit, IReadOnlyList<MetricDimension> Dimensions, DateTimeOffset Timestamp);
