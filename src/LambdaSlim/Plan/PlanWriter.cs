namespace LambdaSlim.Plan;

public static class PlanWriter
{
    public static IReadOnlyList<string> Write(PlanReport report) => [];
}
