using LambdaSlim.Pipeline;

namespace LambdaSlim.Plan;

/// <summary>What `lambdaslim plan` is asked: the project, and how to build it when it has no build yet.</summary>
public sealed record PlanRequest
{
    public required string ProjectDir { get; init; }
    public string? TemplatePath { get; init; }
    public BuildSettings Settings { get; init; } = new();
}
