namespace LambdaSlim.Plan;

/// <summary>A layer the plan cannot change (given by ARN): it counts against the 5 layers and, when known, the size limit.</summary>
public sealed record FixedLayer(string Display, long? Bytes);
