using System.Globalization;

namespace LambdaSlim.Aws;

/// <summary>One of DescribeStackEvents' StackEvents members.</summary>
public sealed record StackEvent(
    string EventId, string StackId, string StackName, string LogicalResourceId, string? PhysicalResourceId,
    string ResourceType, DateTimeOffset Timestamp, string ResourceStatus, string? ResourceStatusReason)
{
    /// <summary>The event of the stack itself, not of a resource in it.</summary>
    public bool IsStackEvent => ResourceType == "AWS::CloudFormation::Stack" && (PhysicalResourceId == StackId || LogicalResourceId == StackName);

    public bool IsFailure => ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal);

    /// <summary>One line as a user reads it: time, status, type, logical ID, reason.</summary>
    public string Line => string.Join("  ", new[]
    {
        Timestamp.ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture), ResourceStatus, ResourceType, LogicalResourceId, ResourceStatusReason,
    }.Where(s => !string.IsNullOrEmpty(s)));
}
