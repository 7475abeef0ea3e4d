using LambdaSlim.Model;
using LambdaSlim.Project;

namespace LambdaSlim.Pipeline;

/// <param name="Unchanged">True when nothing changed since the last build, so nothing was written.</param>
public sealed record BuildResult(ProjectModel Project, BuildPaths Paths, BuildReport Report, IReadOnlyList<Finding> Findings, bool Unchanged = false)
{
    public bool Failed => Findings.Any(f => f.Severity == Severity.Error);
}
