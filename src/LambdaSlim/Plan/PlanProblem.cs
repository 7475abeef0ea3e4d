namespace LambdaSlim.Plan;

/// <summary>What the planner is asked: the items, the functions and what each needs, and the limits.</summary>
public sealed record PlanProblem(IReadOnlyList<PlanItem> Items, IReadOnlyList<PlanFunction> Functions, PlanLimits Limits);
