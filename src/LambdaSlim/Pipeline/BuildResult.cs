using LambdaSlim.Model;
using LambdaSlim.Project;

namespace LambdaSlim.Pipeline;

public sealed record BuildResult(ProjectModel Project, BuildPaths Paths, BuildReport Report, IReadOnlyList<Finding> Findings)
{
    public bool Failed => Findings.Any(f => f.Severity == Severity.Error);
}
