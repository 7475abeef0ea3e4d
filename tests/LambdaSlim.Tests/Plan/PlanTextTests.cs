using LambdaSlim.Plan;

namespace LambdaSlim.Tests.Plan;

/// <summary>What `plan` prints when no plan fits, and how it marks layers and packages that need the S3 upload path.</summary>
public class PlanTextTests
{
    private const long MB = 1_000_000;

    private static PlanReport Report(PlanProblem problem)
    {
        var plan = LayerPlanner.Plan(problem);
        return new PlanReport("template.yaml", plan, problem.Limits, [], [],
            problem.Functions.ToDictionary(f => f.LogicalId, _ => 0L), problem.Functions.ToDictionary(f => f.LogicalId, _ => 0));
    }

    [Fact]
    public void An_infeasible_app_names_the_function_how_far_over_it_is_and_its_biggest_contributors()
    {
        var (torch, scipy, pandas) = (PlanItem.Dist("torch", "2.4.0", 180 * MB), PlanItem.Dist("scipy", "1.14.1", 57 * MB), PlanItem.Dist("pandas", "2.2.3", 33 * MB));
        var report = Report(new PlanProblem([torch, scipy, pandas],
            [new PlanFunction("Train", 10_000, [torch.Key, scipy.Key, pandas.Key]), new PlanFunction("Report", 10_000, [pandas.Key])], PlanLimits.Lambda()));

        var text = PlanText.Text(report);

        text.ShouldContain("no plan fits:");
        text.ShouldContain("Train: needs 270,010,000 bytes unzipped with only what it imports, over the 262,144,000 bytes limit; over by 7,866,000 bytes; biggest: torch 2.4.0 (180.0 MB), scipy 1.14.1 (57.0 MB), pandas 2.2.3 (33.0 MB)");
        PlanText.Markdown(report).ShouldContain("**No plan fits:**");
    }

    [Fact]
    public void A_function_package_over_50_MB_zipped_is_said_to_need_the_S3_upload_path()
    {
        var scipy = PlanItem.Dist("scipy", "1.14.1", 200 * MB);
        var report = Report(new PlanProblem([scipy], [new PlanFunction("Predict", 10_000, [scipy.Key])], PlanLimits.Lambda(0.4)));

        PlanText.Text(report).ShouldContain("package: scipy 1.14.1 (zip about 80.0 MB: over 50 MB, it needs the S3 upload path, which deploy uses)");
    }
}
