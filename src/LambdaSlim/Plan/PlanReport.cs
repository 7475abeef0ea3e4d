using LambdaSlim.Project;

namespace LambdaSlim.Plan;

/// <summary>
/// A plan with what it is measured against: the notes on its inputs, the changes from the template, and what each
/// function loads with the template as it is (from the committed build's report).
/// </summary>
public sealed record PlanReport(
    string Template,
    LayerPlan Plan,
    PlanLimits Limits,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Changes,
    IReadOnlyDictionary<string, long> LoadedNow,
    IReadOnlyDictionary<string, int> LayersNow)
{
    /// <summary>The inputs, for the template edit (--write).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PlanInput Input { get; init; } = null!;

    [System.Text.Json.Serialization.JsonIgnore]
    public ProjectModel Project { get; init; } = null!;
}
