using LambdaSlim.Pipeline;
using LambdaSlim.Install;

namespace LambdaSlim.Bench;

/// <summary>The benchmarks' subject: one layer of a <see cref="BenchTree"/> from the offline wheelhouse, built by the real pipeline.</summary>
public static class BenchProject
{
    /// <summary>A project of one layer of <paramref name="tree"/> with these Metadata: LambdaSlim: settings.</summary>
    public static string Layer(BenchTree tree, string metadata, string name) => OneLayer(name, tree.LayerId, tree.Requirements, metadata);

    /// <summary>A project of one layer with these requirements and Metadata: LambdaSlim: settings.</summary>
    public static string OneLayer(string name, string layerId, string requirements, string metadata)
    {
        var project = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", name);
        Directory.CreateDirectory(Path.Combine(project, "layer"));
        File.WriteAllText(Path.Combine(project, "layer", "requirements.txt"), requirements);
        File.WriteAllText(Path.Combine(project, "template.yaml"), $$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              {{layerId}}:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.11]}
                Metadata: {BuildMethod: python3.11, LambdaSlim: {{metadata}}}
            """);
        return project;
    }

    /// <summary>
    /// A layers-only build from the offline wheelhouse. Each bench states what else it needs: whether imports are
    /// verified, and the audit mode. The offline tree is Debian's builds, which the audit rightly says would not load on
    /// Lambda; the benches measure packaging, pruning and bytecode, so they say that the audit only warns.
    /// </summary>
    public static BuildRequest Request(string project, string wheelhouse, AuditMode audit, bool verify) => new()
    {
        ProjectDir = project,
        Scope = BuildScope.LayersOnly,
        Audit = audit,
        Verify = verify,
        Settings = new BuildSettings { Pip = new PipOptions { NoIndex = true, FindLinks = [wheelhouse], ExtraPlatforms = ["linux_x86_64"] } },
    };

    /// <summary>Runs the build; a build that failed or zipped no layer is no subject to measure, so its findings end the bench.</summary>
    public static async Task<BuildResult> BuildAsync(BuildRequest request)
    {
        var result = await BuildPipeline.RunAsync(request, new RecordingObserver());
        if (!result.Failed && result.Report.Layers.Count > 0) return result;
        var findings = result.Findings.Select(f => $"  {f.Severity} {f.Subject}: {f.Message}");
        throw new BenchFailedException($"the build of {request.ProjectDir} {(result.Failed ? "failed" : "zipped no layer")}:\n{string.Join('\n', findings)}");
    }

    public static double Median(IEnumerable<double> xs)
    {
        var sorted = xs.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Runs a program; one that exits non-zero ends the bench unless <paramref name="check"/> is false.</summary>
    public static (int Code, string Output) Run(string file, IEnumerable<string> args, string? cwd = null, bool check = true)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? Environment.CurrentDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (check && p.ExitCode != 0) throw new BenchFailedException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stdout.Result}{stderr}");
        return (p.ExitCode, stdout.Result + stderr);
    }
}
