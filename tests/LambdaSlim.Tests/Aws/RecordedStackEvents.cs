using System.Globalization;
using System.Text.Json;
using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

/// <summary>The recorded DescribeStackEvents answers in tests/fixtures/stack-events, read as the client reads them.</summary>
public static class RecordedStackEvents
{
    /// <summary>Newest first, as CloudFormation lists them.</summary>
    public static IReadOnlyList<StackEvent> Load(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "tests", "fixtures", "stack-events", name)));
        return [.. json.RootElement.GetProperty("StackEvents").EnumerateArray().Select(e => new StackEvent(
            S(e, "EventId")!, S(e, "StackId")!, S(e, "StackName")!, S(e, "LogicalResourceId")!, S(e, "PhysicalResourceId"), S(e, "ResourceType")!,
            DateTimeOffset.Parse(S(e, "Timestamp")!, CultureInfo.InvariantCulture), S(e, "ResourceStatus")!, S(e, "ResourceStatusReason")))];
    }

    private static string? S(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
