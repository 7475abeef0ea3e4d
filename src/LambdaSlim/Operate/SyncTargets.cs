using System.Text.RegularExpressions;
using LambdaSlim.Aws;

namespace LambdaSlim.Operate;

/// <summary>
/// Where the template's functions and layers live in Lambda, from the stack's resources: a function's physical ID is
/// its name; a layer version's is its ARN, whose name part is the layer's. SAM's transform gives a layer version the
/// logical ID of the layer followed by a 10-character hash of its content.
/// </summary>
public static partial class SyncTargets
{
    public const string FunctionType = "AWS::Lambda::Function";
    public const string LayerVersionType = "AWS::Lambda::LayerVersion";

    /// <summary>The function's name in Lambda; null when the stack has no such function.</summary>
    public static string? FunctionName(IReadOnlyList<StackResource> resources, string logicalId) =>
        resources.FirstOrDefault(r => r.ResourceType == FunctionType && r.LogicalResourceId == logicalId)?.PhysicalResourceId;

    /// <summary>
    /// The layer's name in Lambda (what PublishLayerVersion publishes to), from its version's ARN; null when the stack
    /// has no such layer. A layer version the stack names without a physical ID (moto's) is looked up among
    /// <paramref name="layerNames"/> by the name CloudFormation gives what it names itself: STACK-LOGICALID-SUFFIX.
    /// </summary>
    public static string? LayerName(IReadOnlyList<StackResource> resources, string logicalId, string stackName, IEnumerable<string>? layerNames = null)
    {
        var resource = resources.Where(r => r.ResourceType == LayerVersionType)
            .FirstOrDefault(r => r.LogicalResourceId == logicalId
                || (r.LogicalResourceId.Length == logicalId.Length + 10 && r.LogicalResourceId.StartsWith(logicalId, StringComparison.Ordinal)
                    && SamHash().IsMatch(r.LogicalResourceId.AsSpan(logicalId.Length))));
        if (resource is null) return null;
        if (resource.PhysicalResourceId is { } physical) return LayerNameOf(physical);
        var generated = $"{stackName}-{resource.LogicalResourceId}-";
        return layerNames?.FirstOrDefault(n => n.StartsWith(generated, StringComparison.Ordinal));
    }

    /// <summary>True when the stack names a layer version without its ARN, so that <see cref="LayerName"/> needs the account's layer names.</summary>
    public static bool NeedsLayerNames(IReadOnlyList<StackResource> resources) =>
        resources.Any(r => r.ResourceType == LayerVersionType && r.PhysicalResourceId is null);

    /// <summary>arn:aws:lambda:REGION:ACCOUNT:layer:NAME[:VERSION] → NAME; anything else is taken as the name itself.</summary>
    public static string LayerNameOf(string arnOrName)
    {
        var parts = arnOrName.Split(':');
        return parts.Length >= 7 && parts[0] == "arn" && parts[5] == "layer" ? parts[6] : arnOrName;
    }

    public static LambdaSlimException NotInStack(string what, string logicalId, string stackName) => new(ExitCode.AwsFailed,
        $"stack {stackName} has no {what} {logicalId}: sync updates resources a deploy created",
        $"deploy it first: lambdaslim deploy --stack-name {stackName}");

    [GeneratedRegex("^[0-9a-f]{10}$")]
    private static partial Regex SamHash();
}
