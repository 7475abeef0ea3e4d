using LambdaSlim.Aws;

namespace LambdaSlim.Operate;

/// <summary>
/// Finds a stack's functions by their logical IDs (as the template names them; SAM keeps them when it transforms a
/// function into an AWS::Lambda::Function) or by the names Lambda knows them by.
/// </summary>
/// <param name="describeStackResources">Reads the stack's resources: CloudFormation's DescribeStackResources.</param>
public sealed class StackResourceLookup(Func<string, CancellationToken, Task<IReadOnlyList<StackResource>>> describeStackResources)
{
    public const string FunctionType = "AWS::Lambda::Function";

    public static StackResourceLookup For(CloudFormationClient cloudFormation) => new(cloudFormation.DescribeStackResourcesAsync);

    /// <summary>Every function of the stack that has a physical name, by logical ID.</summary>
    public async Task<IReadOnlyList<StackFunction>> FunctionsAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var resources = await describeStackResources(stackName, cancellationToken).ConfigureAwait(false);
        return [.. resources.Where(r => r.ResourceType == FunctionType && !string.IsNullOrEmpty(r.PhysicalResourceId))
            .Select(r => new StackFunction(r.LogicalResourceId, r.PhysicalResourceId!))];
    }

    /// <summary>The stack's function that <paramref name="function"/> names: its logical ID (exactly, else ignoring case), or its physical name.</summary>
    public async Task<StackFunction> FunctionAsync(string stackName, string function, CancellationToken cancellationToken = default)
    {
        var functions = await FunctionsAsync(stackName, cancellationToken).ConfigureAwait(false);
        return functions.FirstOrDefault(f => f.LogicalId == function)
            ?? functions.FirstOrDefault(f => f.PhysicalName == function)
            ?? (functions.Where(f => string.Equals(f.LogicalId, function, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null)
            ?? throw LambdaSlimException.Input($"stack {stackName} has no function '{function}'",
                functions.Count == 0 ? "it has no Lambda functions yet; deploy it first"
                    : $"give one of its logical IDs or function names: {string.Join(", ", functions.Select(f => f.LogicalId).Order(StringComparer.Ordinal))}");
    }
}
