using LambdaSlim.Build;
using LambdaSlim.Install;

namespace LambdaSlim.Bench;

/// <summary>The benchmarks' subject: one layer of Debian's numpy, pandas, scikit-learn and scipy from the offline wheelhouse.</summary>
public static class BenchProject
{
    public static string DataScience(string wheelhouse, string metadata, string name = "data-science") =>
        OneLayer(name, "DataScience", "numpy\npandas\nscikit-learn\nscipy\n", metadata);

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

    public static BuildRequest Request(string project, string wheelhouse) => new()
    {
        ProjectDir = project,
        Scope = BuildScope.LayersOnly,
        // The offline tree is Debian's builds, which the audit rightly says would not load on Lambda; the benches
        // measure packaging, pruning and bytecode, so they state that the audit only warns.
        Audit = AuditMode.Warn,
        Settings = new BuildSettings { Pip = new PipOptions { NoIndex = true, FindLinks = [wheelhouse], ExtraPlatforms = ["linux_x86_64"] } },
    };

    public static double Median(IEnumerable<double> xs)
    {
        var sorted = xs.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    public static (int Code, string Output) Run(string file, IEnumerable<string> args, string? cwd = null, IDictionary<string, string>? env = null)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? Environment.CurrentDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}
