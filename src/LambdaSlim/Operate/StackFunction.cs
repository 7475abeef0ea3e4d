namespace LambdaSlim.Operate;

/// <summary>A function of a deployed stack: its logical ID in the template and the name Lambda knows it by.</summary>
public sealed record StackFunction(string LogicalId, string PhysicalName);
