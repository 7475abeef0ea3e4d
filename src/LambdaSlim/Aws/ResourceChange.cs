namespace LambdaSlim.Aws;

/// <summary>One row of a change set: what CloudFormation will do to one resource.</summary>
/// <param name="Action">Add, Modify, Remove, Import, Dynamic.</param>
/// <param name="Replacement">True, False or Conditional, for a Modify.</param>
public sealed record ResourceChange(string Action, string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string? Replacement);
