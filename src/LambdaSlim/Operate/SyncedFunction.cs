namespace LambdaSlim.Operate;

/// <summary>A function sync looked at, by logical ID and its name in Lambda, and what it changed.</summary>
public sealed record SyncedFunction(string LogicalId, string FunctionName, bool CodeUpdated, bool LayersUpdated, bool ThroughS3 = false);
