using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LambdaSlim.Pipeline;
using LambdaSlim.IO;
using LambdaSlim.Project;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;
using LambdaSlim.Verify;

namespace LambdaSlim.ColdStart;

/// <summary>
/// Measures what a cold start pays to import a function's handler: the built zips are extracted into a
/// Lambda-like layout and the handler module is imported N times, each in a fresh interpreter with
/// -X importtime; then again with every .pyc removed, which is what shipping no bytecode costs.
/// </summary>
public static class ColdStartProbe
{
    public const string FileName = StagedOutput.ColdStartFile;

    public static async Task<ColdStartResult> MeasureAsync(ProjectModel project, FunctionSpec function, int runs, string? eventFile, IBuildObserver observer, CancellationToken cancellationToken)
    {
        var paths = new BuildPaths(project.ProjectDir);
        using var projectLock = ProjectLock.Acquire(paths);
        var report = CommittedBuild.Load(paths);
        var python = PythonFinder.Find(function.Runtime)
            ?? throw LambdaSlimException.Tool($"no CPython {function.Runtime.Version} to measure with", $"install it; looked for {PythonFinder.SearchedPlaces(function.Runtime)}");
        var layerZips = function.Layers.OfType<LayerRef.Local>().Select(l => report.Layers.FirstOrDefault(a => a.LogicalId == l.LogicalId)).OfType<ArtifactReport>()
            .Select(a => Path.Combine(paths.Output, a.Zip)).ToList();
        var fn = report.Functions.FirstOrDefault(a => a.LogicalId == function.LogicalId)
            ?? throw LambdaSlimException.Input($"function {function.LogicalId} is not built", "run 'lambdaslim build' first");
        var functionZip = Path.Combine(paths.Output, fn.Zip);

        // The layout import verification checks imports in, so what is timed here is what was verified there.
        var root = Path.Combine(paths.Work, "coldstart", function.LogicalId);
        var withPyc = LambdaLayout.Extract(Path.Combine(root, "bytecode"), layerZips, functionZip, skipBytecode: false);
        var noPyc = LambdaLayout.Extract(Path.Combine(root, "source-only"), layerZips, functionZip, skipBytecode: true);

        var timed = new List<(double Total, Dictionary<string, (double Self, double Cum)> Modules)>();
        var untimed = new List<double>();
        using (var step = observer.Step($"Importing {function.HandlerModule} for {function.LogicalId}, {runs} runs each with and without bytecode", runs * 2))
            for (var i = 0; i < runs; i++)
            {
                timed.Add(await ImportOnceAsync(python, function, withPyc, cancellationToken).ConfigureAwait(false));
                untimed.Add((await ImportOnceAsync(python, function, noPyc, cancellationToken).ConfigureAwait(false)).Total);
                step.Report(2 * (i + 1));
            }
        var ordered = timed.OrderBy(t => t.Total).ToList();
        var median = ordered[ordered.Count / 2];
        var slowest = median.Modules.Where(m => m.Key != function.HandlerModule)
            .OrderByDescending(m => m.Value.Self).Take(10).Select(m => new ModuleTime(m.Key, m.Value.Self, m.Value.Cum)).ToList();

        string? invocation = null;
        double? invocationMs = null;
        if (eventFile is not null) (invocation, invocationMs) = await InvokeAsync(python, function, withPyc, eventFile, cancellationToken).ConfigureAwait(false);

        var result = new ColdStartResult(function.LogicalId, function.Handler, runs, median.Total, Median(untimed), slowest, invocation, invocationMs);
        await Save(paths, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public static IReadOnlyDictionary<string, ColdStartResult> Load(string buildOutput)
    {
        var file = Path.Combine(buildOutput, FileName);
        if (!File.Exists(file)) return new Dictionary<string, ColdStartResult>();
        try { return JsonSerializer.Deserialize<Dictionary<string, ColdStartResult>>(File.ReadAllText(file), BuildReport.Json) ?? []; }
        catch (JsonException) { return new Dictionary<string, ColdStartResult>(); }
    }

    private static async Task Save(BuildPaths paths, ColdStartResult result, CancellationToken cancellationToken)
    {
        var all = Load(paths.Output).ToDictionary();
        all[result.Function] = result;
        await AtomicFile.WriteAllTextAsync(Path.Combine(paths.Output, FileName), JsonSerializer.Serialize(all, BuildReport.Json), cancellationToken).ConfigureAwait(false);
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static string PathSetup(FunctionSpec function, LambdaLayout layout) =>
        $"import sys; sys.path[:0] = {JsonSerializer.Serialize(layout.SysPath(function.Runtime.Version))}";

    private static async Task<(double Total, Dictionary<string, (double Self, double Cum)> Modules)> ImportOnceAsync(
        string python, FunctionSpec function, LambdaLayout layout, CancellationToken cancellationToken)
    {
        var script = $"{PathSetup(function, layout)}\nimport {function.HandlerModule}";
        var r = await ProcessRunner.RunAsync(python, ["-I", "-S", "-B", "-X", "importtime", "-c", script], environment: layout.Environment(python, function.Variables),
            workingDirectory: layout.Task, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (r.ExitCode != 0)
            throw LambdaSlimException.Input($"function {function.LogicalId}: import {function.HandlerModule} fails in the built artifacts: {r.StdErr.Trim().Split('\n')[^1]}",
                "run 'lambdaslim build' (import verification names the cause)");
        var modules = new Dictionary<string, (double, double)>();
        foreach (var line in r.StdErr.Split('\n'))
        {
            // "import time:       412 |      12345 |   pandas"
            if (!line.StartsWith("import time:", StringComparison.Ordinal)) continue;
            var parts = line["import time:".Length..].Split('|');
            if (parts.Length != 3 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var self)) continue;
            var cumulative = double.Parse(parts[1], CultureInfo.InvariantCulture);
            modules[parts[2].Trim()] = (self / 1000, cumulative / 1000);
        }
        var total = modules.TryGetValue(function.HandlerModule, out var handler) ? handler.Item2 : modules.Values.Sum(m => m.Item1);
        return (total, modules);
    }

    private static async Task<(string, double)> InvokeAsync(string python, FunctionSpec function, LambdaLayout layout, string eventFile, CancellationToken cancellationToken)
    {
        var handlerName = function.Handler[(function.Handler.LastIndexOf('.') + 1)..];
        var script = $$"""
            {{PathSetup(function, layout)}}
            import json, time, importlib
            event = json.load(open({{JsonSerializer.Serialize(Path.GetFullPath(eventFile))}}))
            handler = getattr(importlib.import_module({{JsonSerializer.Serialize(function.HandlerModule)}}), {{JsonSerializer.Serialize(handlerName)}})
            start = time.perf_counter()
            result = handler(event, None)
            elapsed = (time.perf_counter() - start) * 1000
            print("LAMBDASLIM-INVOKE %.3f %s" % (elapsed, json.dumps(result, default=str)[:300]))
            """;
        var r = await ProcessRunner.RunAsync(python, ["-I", "-S", "-B", "-c", script], environment: layout.Environment(python, function.Variables), workingDirectory: layout.Task, cancellationToken: cancellationToken).ConfigureAwait(false);
        var line = r.StdOut.Split('\n').FirstOrDefault(l => l.StartsWith("LAMBDASLIM-INVOKE ", StringComparison.Ordinal));
        if (r.ExitCode != 0 || line is null)
            return ($"failed: {r.StdErr.Trim().Split('\n')[^1]}", 0);
        var rest = line["LAMBDASLIM-INVOKE ".Length..];
        var space = rest.IndexOf(' ');
        return (rest[(space + 1)..], double.Parse(rest[..space], CultureInfo.InvariantCulture));
    }
}
