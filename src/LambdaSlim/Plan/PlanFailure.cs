namespace LambdaSlim.Plan;

/// <summary>Why a function cannot fit under any plan: which limit, by how much, and its biggest contributors.</summary>
public sealed record PlanFailure(string Function, string Why, long OverBy, IReadOnlyList<PlanContributor> Contributors);

public sealed record PlanContributor(string Name, long Bytes);
