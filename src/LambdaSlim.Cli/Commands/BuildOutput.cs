using LambdaSlim.Pipeline;
using LambdaSlim.Cli.Console;
using LambdaSlim.Report;
using Spectre.Console;
using LambdaSlim.Model;

namespace LambdaSlim.Cli.Commands;

/// <summary>Prints a build's result: the report on stdout, findings on stderr, and picks the exit code.</summary>
internal static class BuildOutput
{
    public static int Print(Consoles consoles, BuildResult result, OutputFormat format, TimeSpan elapsed, bool verbose = false)
    {
        var display = DisplayPath(result.Paths.Output);
        if (format == OutputFormat.Json) consoles.Out.Profile.Out.Writer.Write(result.Report.ToJson());
        else consoles.Out.Profile.Out.Writer.Write(SummaryText.Render(result.Report, display));

        return PrintFindings(consoles, result, elapsed, verbose);
    }

    public static int PrintFindings(Consoles consoles, BuildResult result, TimeSpan? elapsed = null, bool verbose = false)
    {
        var display = DisplayPath(result.Paths.Output);
        return PrintFindings(consoles, Condense(result.Findings, verbose), elapsed is { } e
            ? result.Unchanged
                ? $"nothing changed since the last build, so nothing was written ({e.TotalSeconds:0.0} s); {DeployHint(result, display)}"
                : $"built in {e.TotalSeconds:0.0} s; {DeployHint(result, display)}"
            : "validation passed");
    }

    /// <summary>
    /// The command that deploys what was built. When the template still holds resources only `sam build` builds
    /// (other runtimes, images, other BuildMethods), the template is not ready for `sam deploy` alone: say which, and
    /// that `sam build` on the new template builds just those (it skips code that is already a zip).
    /// </summary>
    public static string DeployHint(BuildResult result, string display)
    {
        var unbuilt = result.Project.Skipped.Where(s => s.NeedsSamBuild).ToList();
        if (unbuilt.Count == 0) return $"deploy with: sam deploy -t {display}/template.yaml";
        return $"still to build with SAM: {string.Join(", ", unbuilt.Select(s => $"{s.LogicalId} ({s.Reason})"))}; " +
            $"deploy with: sam build -t {display}/template.yaml && sam deploy (sam build skips the zips LambdaSlim made)";
    }

    /// <summary>Findings on stderr; exit 1 when any is an error, else the success line.</summary>
    public static int PrintFindings(Consoles consoles, IReadOnlyList<Finding> findings, string success)
    {
        foreach (var f in findings)
        {
            var (label, color) = f.Severity switch
            {
                Severity.Error => ("error", "red"),
                Severity.Warning => ("warning", "yellow"),
                _ => ("note", "blue"),
            };
            consoles.Error.MarkupLineInterpolated($"[{color}]{label}:[/] {f.Subject}: {f.Message}");
        }
        if (findings.Any(f => f.Severity == Severity.Error))
        {
            consoles.Error.MarkupLine($"[red]validation failed[/]: fix the errors above, or pass --skip-validation to build anyway");
            return (int)ExitCode.ValidationFailed;
        }
        consoles.Error.WriteLine(success);
        return (int)ExitCode.Ok;
    }

    /// <summary>
    /// A build from the wrong wheels can have a hundred audit findings: show three per artifact and say how many more
    /// (`lambdaslim audit` lists them all). --verbose shows everything.
    /// </summary>
    public static IReadOnlyList<Finding> Condense(IReadOnlyList<Finding> findings, bool verbose)
    {
        if (verbose) return findings;
        var result = new List<Finding>();
        foreach (var group in findings.GroupBy(f => (f.Check, f.Subject, f.Severity)))
        {
            var list = group.ToList();
            if (group.Key.Check != "audit" || list.Count <= 4) { result.AddRange(list); continue; }
            result.AddRange(list.Take(3));
            result.Add(new Finding(group.Key.Severity, group.Key.Subject, $"... and {list.Count - 3} more native-binary findings: 'lambdaslim audit' lists them all", "audit"));
        }
        return result;
    }

    /// <summary>Relative to the current folder when inside it, else absolute: whatever is shorter to paste.</summary>
    public static string DisplayPath(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path).Replace('\\', '/');
        return relative.StartsWith("..", StringComparison.Ordinal) ? path.Replace('\\', '/') : relative;
    }
}
