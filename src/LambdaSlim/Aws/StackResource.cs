namespace LambdaSlim.Aws;

/// <summary>One of DescribeStackResources' members.</summary>
public sealed record StackResource(string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string ResourceStatus, string? ResourceStatusReason);
