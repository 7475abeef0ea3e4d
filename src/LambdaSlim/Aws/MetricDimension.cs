namespace LambdaSlim.Aws;

/// <summary>One name/value pair that tells a CloudWatch metric's series apart (FunctionName=…, Scope=…).</summary>
public sealed record MetricDimension(string Name, string Value);
