using System.Diagnostics;
using LambdaSlim.Model;
using LambdaSlim.Pipeline;
using LambdaSlim.Runtimes;
using LambdaSlim.Trace;
using LambdaSlim.Verify;

namespace LambdaSlim.Bench;

/// <summary>
/// prune: traced on the example: every function traced on its own event (the layers are shared, so each keeps the
/// union), against the same app with the default safe pruning. Measures the Predictions function's three layers
/// together, checks every event's result against both builds' zips (outside the build's own replay), and times what
/// the trace and the replay add to a build.
/// </summary>
public static class TracedBench
{
    private static readonly (string Function, string Event)[] Events =
        [("DataValidationFunction", "events/data_validation.json"), ("FeatureEngineeringFunction", "events/feature_engineering.json"), ("PredictionsFunction", "events/predictions.json")];

    public static async Task RunAsync(string wheelhouse)
    {
        var source = Path.Combine(IncrementalBench.RepoRoot(), "examples", "item-prediction");
        Console.WriteLine("settings: examples/item-prediction, python3.11 x86_64, offline wheelhouse, audit warns, imports verified;");
        Console.WriteLine("  traced: prune: traced for every layer and function, each function on its own event");
        var safeDir = IncrementalBench.Copy(source, "traced-safe");
        var tracedDir = IncrementalBench.Copy(source, "traced-traced");
        Traced(Path.Combine(tracedDir, "template.yaml"));

        var (safeSeconds, safe, _) = await BuildAsync(safeDir, wheelhouse);
        var (tracedSeconds, traced, steps) = await BuildAsync(tracedDir, wheelhouse);

        var predictions = traced.Report.Totals.Single(t => t.LogicalId == "PredictionsFunction").Layers.Select(l => l.Name).ToList();
        long Layers(BuildResult r, Func<ArtifactReport, long> size) => r.Report.Layers.Where(l => predictions.Contains(l.LogicalId)).Sum(size);
        var (safeBytes, tracedBytes) = (Layers(safe, a => a.UnzippedBytes), Layers(traced, a => a.UnzippedBytes));
        var (safeZipped, tracedZipped) = (Layers(safe, a => a.ZippedBytes), Layers(traced, a => a.ZippedBytes));
        var identical = await SameResultsAsync(safeDir, safe, tracedDir, traced);

        Console.WriteLine($"  Predictions' layers ({string.Join(" + ", predictions)}), unzipped:");
        foreach (var id in predictions)
            Console.WriteLine($"    {id,-22} safe {Bytes.Format(safe.Report.Layers.Single(l => l.LogicalId == id).UnzippedBytes),10}   traced {Bytes.Format(traced.Report.Layers.Single(l => l.LogicalId == id).UnzippedBytes),10}");
        var ratio = (double)tracedBytes / safeBytes;
        Console.WriteLine($"    together               safe {Bytes.Format(safeBytes),10}   traced {Bytes.Format(tracedBytes),10}   {ratio,5:0.00}x  (target <= 0.50x)  {(ratio <= 0.5 ? "met" : "MISSED")}");
        Console.WriteLine($"    zipped                 safe {Bytes.Format(safeZipped),10}   traced {Bytes.Format(tracedZipped),10}   {(double)tracedZipped / safeZipped,5:0.00}x");
        Console.WriteLine($"  every event's result the same from the safe and the traced zips: {(identical ? "yes" : "NO")} ({Events.Length} events)");
        Console.WriteLine($"  cold build: safe {safeSeconds:0.0} s, traced {tracedSeconds:0.0} s (+{tracedSeconds - safeSeconds:0.0} s); " +
            $"of that, tracing {steps.GetValueOrDefault("trace"):0.0} s and replaying {steps.GetValueOrDefault("replay"):0.0} s");
        if (!identical) throw new BenchFailedException("an event's result differs between the safe and the traced build");
    }

    /// <summary>The example's template with prune: traced everywhere and each function's own event.</summary>
    private static void Traced(string template)
    {
        var text = File.ReadAllText(template);
        string Once(string text, string from, string to) =>
            text.Split(from).Length == 2 ? text.Replace(from, to) : throw new BenchFailedException($"the example's template changed: '{from.Trim()}' is not there once");
        text = Once(text, "Metadata:\n  cfn-lint:\n", "Metadata:\n  LambdaSlim:\n    prune: traced\n  cfn-lint:\n");
        text = Once(text, "      LambdaSlim:\n        prune: safe\n", "      LambdaSlim:\n        prune: traced\n        trace-events: [events/predictions.json]\n");
        text = Once(text, "            Path: /validate\n            Method: post\n", "            Path: /validate\n            Method: post\n    Metadata:\n      LambdaSlim:\n        trace-events: [events/data_validation.json]\n");
        text = Once(text, "            Path: /features\n            Method: post\n", "            Path: /features\n            Method: post\n    Metadata:\n      LambdaSlim:\n        trace-events: [events/feature_engineering.json]\n");
        File.WriteAllText(template, text);
    }

    private static async Task<(double Seconds, BuildResult Result, Dictionary<string, double> Steps)> BuildAsync(string project, string wheelhouse)
    {
        var observer = new TimingObserver();
        var request = BenchProject.Request(project, wheelhouse, AuditMode.Warn, verify: true) with { Scope = BuildScope.All };
        var sw = Stopwatch.StartNew();
        var result = await BuildPipeline.RunAsync(request, observer);
        var seconds = sw.Elapsed.TotalSeconds;
        if (result.Failed)
            throw new BenchFailedException($"the build of {project} failed:\n{string.Join('\n', result.Findings.Select(f => $"  {f.Severity} {f.Subject}: {f.Message}"))}");
        return (seconds, result, observer.Steps);
    }

    /// <summary>Each function's event run on its built zips, from the safe build and from the traced one: the results must match byte for byte.</summary>
    private static async Task<bool> SameResultsAsync(string safeDir, BuildResult safe, string tracedDir, BuildResult traced)
    {
        var python = PythonFinder.Find(safe.Project.Functions[0].Runtime) ?? throw new BenchFailedException("no CPython 3.11 to run the handlers");
        var same = true;
        foreach (var (function, eventFile) in Events)
        {
            var results = new List<string>();
            foreach (var (dir, result) in new[] { (safeDir, safe), (tracedDir, traced) })
            {
                var spec = result.Project.Functions.Single(f => f.LogicalId == function);
                var output = Path.Combine(dir, ".lambdaslim", "build");
                var layers = result.Report.Totals.Single(t => t.LogicalId == function).Layers
                    .Select(l => Path.Combine(output, result.Report.Layers.Single(a => a.LogicalId == l.Name).Zip)).ToList();
                var layout = LambdaLayout.Extract(Path.Combine(dir, ".lambdaslim", "bench-run", function), layers,
                    Path.Combine(output, result.Report.Functions.Single(a => a.LogicalId == function).Zip), skipBytecode: false);
                var run = await HandlerTracer.RunAsync(python, spec.Runtime.Version, layout, spec.HandlerModule, spec.HandlerFunction,
                    Path.Combine(dir, eventFile), eventFile, Path.Combine(layout.Root, "record.json"), CancellationToken.None);
                results.Add(run.Result);
            }
            var equal = results[0] == results[1] && results[0].StartsWith("output ", StringComparison.Ordinal);
            Console.WriteLine($"    {function,-28} {eventFile,-34} {(equal ? "same" : "DIFFERENT")}: {Short(results[1])}");
            same &= equal;
        }
        return same;
    }

    private static string Short(string text) => text.Length > 70 ? text[..70] + "..." : text;

    /// <summary>Times the trace and replay steps of a build.</summary>
    private sealed class TimingObserver : IBuildObserver
    {
        public Dictionary<string, double> Steps { get; } = [];
        public void Info(string message) { }
        public void Warn(string message) { }
        public IProgressStep Step(string name, long? total = null) =>
            new Timed(name.StartsWith("Tracing handlers", StringComparison.Ordinal) ? "trace" : name.StartsWith("Replaying", StringComparison.Ordinal) ? "replay" : null, Steps);

        private sealed class Timed(string? key, Dictionary<string, double> steps) : IProgressStep
        {
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            public void Report(long done, string? status = null) { }
            public void Status(string status) { }
            public void Dispose()
            {
                if (key is not null) steps[key] = steps.GetValueOrDefault(key) + _clock.Elapsed.TotalSeconds;
            }
        }
    }
}
