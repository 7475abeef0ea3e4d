using LambdaSlim.Model;
using LambdaSlim.Pipeline;
using LambdaSlim.Project;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Plan;

/// <summary>
/// `lambdaslim plan`: reads the committed build (building first when there is none; the build is incremental, so
/// its installs and zips are reused later), reads what each function imports, plans, names the layers after the
/// template's, and says what changes.
/// </summary>
public static class PlanRunner
{
    public static async Task<PlanReport> RunAsync(PlanRequest request, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        using var interpreters = PythonFinder.Use(request.Settings.PythonFor);
        var project = ProjectLoader.Load(request.ProjectDir, request.TemplatePath);
        var paths = new BuildPaths(project.ProjectDir);
        var notes = new List<string>();
        if (!File.Exists(paths.Report))
        {
            observer.Info("plan: nothing is built yet, so the project is built first to measure each distribution");
            notes.Add("the project had no build: it was built first (without validation) to measure each distribution");
            var built = await BuildPipeline.RunAsync(new BuildRequest
            {
                ProjectDir = project.ProjectDir,
                TemplatePath = request.TemplatePath,
                Settings = request.Settings,
                SkipValidation = true,
            }, observer, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(paths.Report))
                throw LambdaSlimException.Input("the build the plan needs did not complete", "run 'lambdaslim build' and fix what it reports, then plan again");
            project = built.Project;
        }
        var report = CommittedBuild.Load(paths);
        var input = await PlanInputReader.ReadAsync(project, paths, report, cancellationToken).ConfigureAwait(false);
        notes.AddRange(input.Notes);
        var plan = LayerNaming.Name(LayerPlanner.Plan(input.Problem), input, project);
        var changes = PlanChanges.Of(plan, input, project);
        return new PlanReport(project.Template.Path, plan, input.Problem.Limits, notes, changes,
            report.Totals.ToDictionary(t => t.LogicalId, t => t.TotalUnzippedBytes, StringComparer.Ordinal),
            report.Totals.ToDictionary(t => t.LogicalId, t => t.Layers.Count, StringComparer.Ordinal))
        {
            Input = input,
            Project = project,
        };
    }
}
