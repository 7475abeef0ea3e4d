using System.Collections.Concurrent;
using System.Diagnostics;
using LambdaSlim.Model;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Bench;

/// <summary>
/// N functions sharing one layer, built cold: the time per function as N grows, and import verification's share of it,
/// against the smallest N of the same run; and the bench process's peak memory (the builds run in it).
/// </summary>
public static class ManyFunctionsBench
{
    public static async Task RunAsync(string wheelhouse, BenchTree tree, IReadOnlyList<int> counts)
    {
        Console.WriteLine($"settings: one layer ({string.Join(" + ", tree.Requirements.Split('\n', StringSplitOptions.RemoveEmptyEntries))}, offline wheelhouse) and N functions on it, each its own CodeUri with one app.py");
        Console.WriteLine("  that imports from the layer; python3.11 x86_64, default prune and bytecode, audit warns, imports verified, whole build");
        Console.WriteLine($"  (layers and functions, zips written); cold: a new project folder per N; one build per N; {Environment.ProcessorCount} cores");
        Console.WriteLine($"  {"functions",9} {"build s",8} {"ms/fn",7} {"verify s",9} {"verify %",9} {"ms/fn vs N=" + counts[0],14} {"peak MB",8}");
        double? baseline = null;
        var rows = new List<(int Count, double Seconds, long Peak)>();
        foreach (var count in counts)
        {
            var project = Project(tree, count);
            var timer = new StepTimer();
            var request = BenchProject.Request(project, wheelhouse, AuditMode.Warn, verify: true) with { Scope = BuildScope.All };
            var sw = Stopwatch.StartNew();
            var result = await BuildPipeline.RunAsync(request, timer);
            var seconds = sw.Elapsed.TotalSeconds;
            if (result.Failed || result.Report.Functions.Count != count)
                throw new BenchFailedException($"the build of {count} functions {(result.Failed ? "failed" : $"zipped {result.Report.Functions.Count} functions")}:\n" +
                    string.Join('\n', result.Findings.Select(f => $"  {f.Severity} {f.Subject}: {f.Message}")));
            using var self = Process.GetCurrentProcess();
            var peak = self.PeakWorkingSet64;
            var perFunction = seconds / count * 1000;
            baseline ??= perFunction;
            var verify = timer.Seconds("Verifying imports");
            Console.WriteLine($"  {count,9} {seconds,8:0.0} {perFunction,7:0} {verify,9:0.0} {verify / seconds * 100,8:0}% {perFunction / baseline,13:0.00}x {peak / 1e6,8:0}");
            rows.Add((count, seconds, peak));
        }
        Console.WriteLine("  (peak: the bench process's peak working set so far, so each row includes the builds before it; the Python interpreters are not counted)");
        if (rows.FirstOrDefault(r => r.Count == 500) is { Count: 500 } five)
        {
            Console.WriteLine($"500 functions, cold:  {five.Seconds,6:0.0} s   (target <= 30 s)   {(five.Seconds <= 30 ? "met" : "MISSED")}");
            Console.WriteLine($"peak memory:          {five.Peak / 1e6,6:0} MB  (target < 500 MB) {(five.Peak < 500_000_000 ? "met" : "MISSED")}");
        }
    }

    /// <summary>A new project: the tree's layer and <paramref name="count"/> functions on it.</summary>
    private static string Project(BenchTree tree, int count)
    {
        var project = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", $"many-functions-{count}");
        if (Directory.Exists(project)) Directory.Delete(project, true);
        Directory.CreateDirectory(Path.Combine(project, "layer"));
        File.WriteAllText(Path.Combine(project, "layer", "requirements.txt"), tree.Requirements);
        var template = new System.Text.StringBuilder($$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              {{tree.LayerId}}:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.11]}
                Metadata: {BuildMethod: python3.11}

            """);
        for (var i = 0; i < count; i++)
        {
            var name = $"Fn{i:0000}";
            Directory.CreateDirectory(Path.Combine(project, name));
            File.WriteAllText(Path.Combine(project, name, "app.py"), $"import {tree.Imports}\ndef handler(event, context):\n    return {i}\n");
            template.Append($"  {name}:\n    Type: AWS::Serverless::Function\n    Properties: {{CodeUri: {name}/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref {tree.LayerId}]}}\n");
        }
        File.WriteAllText(Path.Combine(project, "template.yaml"), template.ToString());
        return project;
    }

    /// <summary>Times the build's steps by name.</summary>
    private sealed class StepTimer : IBuildObserver
    {
        private readonly ConcurrentBag<(string Name, double Seconds)> _steps = [];

        public double Seconds(string prefix) => _steps.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)).Sum(s => s.Seconds);
        public void Info(string message) { }
        public void Warn(string message) { }
        public IProgressStep Step(string name, long? total = null) => new Timed(this, name);

        private sealed class Timed(StepTimer owner, string name) : IProgressStep
        {
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            public void Report(long done, string? status = null) { }
            public void Status(string status) { }
            public void Dispose() => owner._steps.Add((name, _clock.Elapsed.TotalSeconds));
        }
    }
}
