namespace LambdaSlim.Plan;

/// <summary>
/// The planner's problem with what the report and the template edit need besides: notes on what could not be read,
/// which artifacts hold each item now, each function's layers in the template now, and the pinned requirement of
/// each distribution ("name==version", as built), and the distributions (normalized names) each item requires or imports.
/// </summary>
public sealed record PlanInput(
    PlanProblem Problem,
    IReadOnlyList<string> Notes,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Holders,
    IReadOnlyDictionary<string, IReadOnlyList<string>> CurrentLayers,
    IReadOnlyDictionary<string, string> Requirements,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Requires);
