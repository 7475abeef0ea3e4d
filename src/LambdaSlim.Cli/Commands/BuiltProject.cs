using LambdaSlim.Pipeline;
using LambdaSlim.Project;
using LambdaSlim.Validate;
using LambdaSlim.Model;

namespace LambdaSlim.Cli.Commands;

/// <summary>What every size command starts from: the project and the report of its last build.</summary>
internal sealed record BuiltProject(ProjectModel Project, BuildPaths Paths, BuildReport Report)
{
    public static BuiltProject Load(SizeSettings settings)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var paths = new BuildPaths(project.ProjectDir);
        return new BuiltProject(project, paths, CommittedBuild.Load(paths));
    }

    public IReadOnlyList<Finding> Findings() => LimitCheck.Check(Report, BuildPipeline.TargetsFor(Project));
}
