using LambdaSlim.Model;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Tests.Trace;

[Trait("Category", "Integration")]
public class TracedPruneTests
{
    private const string Site = TracedProject.LayerSite;

    private static async Task<(BuildResult Result, RecordingObserver Observer)> Build(string dir, bool repair = false)
    {
        var observer = new RecordingObserver();
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = TracedProject.Settings(dir), Repair = repair }, observer);
        return (result, observer);
    }

    [Fact]
    public async Task Traced_keeps_a_lazy_submodule_and_a_data_file_an_event_uses_and_drops_what_nothing_touched()
    {
        var dir = TracedProject.Create("{prune: traced}", [("Fn", TracedProject.Handler, "{trace-events: [events/*.json]}")],
            new Dictionary<string, string> { ["events/uses.json"] = """{"lazy": true, "table": true}""" });

        var (result, _) = await Build(dir);

        result.Findings.Where(f => f.Severity == Severity.Error).ShouldBeEmpty();
        var zip = TracedProject.ZipPaths(dir, "layers/Synth.zip");
        zip.ShouldContain(Site + "synthpkg/lazy.py");
        zip.ShouldContain(Site + "synthpkg/data/table.txt");
        zip.ShouldContain(Site + "synthpkg/__init__.py");
        zip.ShouldContain(Site + "synthpkg-1.0.dist-info/METADATA");
        zip.ShouldNotContain(Site + "synthpkg/unused.py");
        var trace = result.Report.Layers.Single().Prune!.Trace!;
        trace.Events.ShouldBe(["events/uses.json"]);
        var synth = trace.Distributions.Single(d => d.Name == "synthpkg");
        synth.ModulesExercised.ShouldBe(2); // __init__.py and lazy.py of the three modules
        synth.Modules.ShouldBe(3);
        trace.Kept.Single(k => k.Path == "synthpkg/data/table.txt").Why.ShouldBe("events/uses.json");
    }

    [Fact]
    public async Task Traced_drops_the_lazy_submodule_and_the_data_file_when_no_event_uses_them()
    {
        var dir = TracedProject.Create("{prune: traced}", [("Fn", TracedProject.Handler, "{trace-events: [events/plain.json]}")],
            new Dictionary<string, string> { ["events/plain.json"] = "{}" });

        var (result, _) = await Build(dir);

        result.Findings.Where(f => f.Severity == Severity.Error).ShouldBeEmpty();
        var zip = TracedProject.ZipPaths(dir, "layers/Synth.zip");
        zip.ShouldContain(Site + "synthpkg/__init__.py");
        zip.ShouldNotContain(Site + "synthpkg/lazy.py");
        zip.ShouldNotContain(Site + "synthpkg/data/table.txt");
        zip.ShouldNotContain(Site + "synthpkg/unused.py");
    }

    [Fact]
    public async Task A_handler_that_reads_the_templates_environment_variables_at_import_is_traced_with_them()
    {
        const string readsTheTable = """
            import os
            TABLE = os.environ["TABLE_NAME"]
            import synthpkg
            def handler(event, context):
                return {"table": TABLE, "lazy": synthpkg.lazy(21)}
            """;
        var dir = TracedProject.Create("{prune: traced}", [("Fn", readsTheTable, "{trace-events: [events/*.json]}")],
            new Dictionary<string, string> { ["events/a.json"] = "{}" });
        var template = Path.Combine(dir, "template.yaml");
        File.WriteAllText(template, File.ReadAllText(template).Replace("Resources:\n", "Globals:\n  Function:\n    Environment:\n      Variables: {TABLE_NAME: items}\nResources:\n", StringComparison.Ordinal));

        var (result, _) = await Build(dir);

        result.Findings.Where(f => f.Severity == Severity.Error).ShouldBeEmpty();
        result.Findings.ShouldNotContain(f => f.Message.Contains("fails before prune: traced", StringComparison.Ordinal));
        TracedProject.ZipPaths(dir, "layers/Synth.zip").ShouldContain(Site + "synthpkg/lazy.py", "the handler got past its import, so the lazy module it calls was traced");
    }

    [Fact]
    public async Task A_handler_that_fails_on_every_event_fails_the_build_since_nothing_shows_what_it_needs()
    {
        const string alwaysFails = """
            import synthpkg
            def handler(event, context):
                raise RuntimeError("no table configured")
            """;
        var dir = TracedProject.Create("{prune: traced}", [("Fn", alwaysFails, "{trace-events: [events/*.json]}")],
            new Dictionary<string, string> { ["events/a.json"] = "{}", ["events/b.json"] = "{}" });

        var (result, _) = await Build(dir);

        result.Findings.ShouldContain(f => f.Severity == Severity.Error && f.Message.Contains("every event fails before prune: traced", StringComparison.Ordinal)
            && f.Message.Contains("no table configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_event_traces_again_although_no_file_of_the_layer_changed()
    {
        var dir = TracedProject.Create("{prune: traced}", [("Fn", TracedProject.Handler, "{trace-events: [events/*.json]}")],
            new Dictionary<string, string> { ["events/a.json"] = "{}" });
        await Build(dir);
        TracedProject.ZipPaths(dir, "layers/Synth.zip").ShouldNotContain(Site + "synthpkg/lazy.py");

        File.WriteAllText(Path.Combine(dir, "events", "a.json"), """{"lazy": true}""");
        var (result, _) = await Build(dir);

        result.Unchanged.ShouldBeFalse();
        TracedProject.ZipPaths(dir, "layers/Synth.zip").ShouldContain(Site + "synthpkg/lazy.py");
    }

    [Fact]
    public async Task A_build_of_layers_alone_says_a_traced_layer_is_pruned_as_safe()
    {
        var dir = TracedProject.Create("{prune: traced}", [("Fn", TracedProject.Handler, "{trace-events: [events/*.json]}")],
            new Dictionary<string, string> { ["events/a.json"] = "{}" });
        var observer = new RecordingObserver();

        await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = TracedProject.Settings(dir), Scope = BuildScope.LayersOnly }, observer);

        observer.Warnings.ShouldContain("layer Synth: prune: traced runs the functions that use it, which a build of layers alone does not prepare, so it is pruned as with prune: safe; build everything to trace it");
        TracedProject.ZipPaths(dir, "layers/Synth.zip").ShouldContain(Site + "synthpkg/unused.py");
    }

    /// <summary>The handler imports synthpkg.lazy only from its second call on, so the trace never sees it and the replay needs it.</summary>
    private const string SecondCallNeedsLazy = """
        import os, synthpkg
        def handler(event, context):
            counter = event["counter"]
            calls = int(open(counter).read()) if os.path.exists(counter) else 0
            with open(counter, "w") as f:
                f.write(str(calls + 1))
            return {"value": synthpkg.lazy(21) if calls > 0 else 42}
        """;

    private static string ReplayProject()
    {
        var counter = Path.Combine(TestEnvironment.NewTempDir("counter"), "calls.txt");
        return TracedProject.Create("{prune: traced}", [("Fn", SecondCallNeedsLazy, "{trace-events: [events/call.json]}")],
            new Dictionary<string, string> { ["events/call.json"] = System.Text.Json.JsonSerializer.Serialize(new { counter }) });
    }

    [Fact]
    public async Task A_replay_that_differs_fails_the_build_and_names_the_missing_file()
    {
        var dir = ReplayProject();

        var (result, _) = await Build(dir);

        var error = result.Findings.Single(f => f.Severity == Severity.Error && f.Check == "trace");
        error.Subject.ShouldBe("function Fn");
        error.Message.ShouldContain("event events/call.json gives a different result after prune: traced (ModuleNotFoundError: No module named 'synthpkg.lazy')");
        error.Message.ShouldContain($"missing {Site}synthpkg/lazy.py in layer Synth");
        File.Exists(Path.Combine(dir, ".lambdaslim", "build", "layers", "Synth.zip")).ShouldBeFalse();
    }

    [Fact]
    public async Task Repair_puts_the_missing_file_back_and_the_replay_passes()
    {
        var dir = ReplayProject();

        var (result, observer) = await Build(dir, repair: true);

        result.Findings.Where(f => f.Severity == Severity.Error).ShouldBeEmpty();
        observer.Warnings.ShouldContain(w => w.Contains($"repair: put back {Site}synthpkg/lazy.py in layer Synth", StringComparison.Ordinal));
        TracedProject.ZipPaths(dir, "layers/Synth.zip").ShouldContain(Site + "synthpkg/lazy.py");
        var trace = result.Report.Layers.Single().Prune!.Trace!;
        trace.Kept.Single(k => k.Path == "synthpkg/lazy.py").Why.ShouldBe(TraceReport.RestoredByRepair, "what --repair put back ships, so the report counts it as kept");
        trace.KeptBytes.ShouldBe(trace.Distributions.Sum(d => d.KeptBytes));
        trace.DroppedBytes.ShouldBe(trace.Distributions.Sum(d => d.DroppedBytes));
        trace.Distributions.Single(d => d.Name == "synthpkg").KeptFiles.ShouldBe(trace.Kept.Count(k => k.Path.StartsWith("synthpkg", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_layer_shared_by_two_functions_keeps_the_union_of_what_they_touched()
    {
        var dir = TracedProject.Create("{prune: traced}",
            [("Lazy", TracedProject.Handler, "{trace-events: [events/lazy.json]}"), ("Table", TracedProject.Handler, "{trace-events: [events/table.json]}")],
            new Dictionary<string, string> { ["events/lazy.json"] = """{"lazy": true}""", ["events/table.json"] = """{"table": true}""" });

        var (result, _) = await Build(dir);

        result.Findings.Where(f => f.Severity == Severity.Error).ShouldBeEmpty();
        var zip = TracedProject.ZipPaths(dir, "layers/Synth.zip");
        zip.ShouldContain(Site + "synthpkg/lazy.py");
        zip.ShouldContain(Site + "synthpkg/data/table.txt");
        zip.ShouldNotContain(Site + "synthpkg/unused.py");
        var trace = result.Report.Layers.Single().Prune!.Trace!;
        trace.Events.ShouldBe(["events/lazy.json", "events/table.json"]);
        trace.Kept.Single(k => k.Path == "synthpkg/lazy.py").Why.ShouldBe("events/lazy.json");
        trace.Kept.Single(k => k.Path == "synthpkg/data/table.txt").Why.ShouldBe("events/table.json");

        var (code, stdout, _) = await LambdaSlim.Tests.Cli.CliHarness.Run("layers", "report", "Synth", "-p", dir);
        code.ShouldBe(0);
        stdout.ShouldContain("traced on 2 events: kept ");
        stdout.ShouldMatch(@"synthpkg\s+\S+ B\s+\S+ B\s+2 of 3 \(66\.7%\)\s+events/lazy\.json, events/table\.json");
        var html = LambdaSlim.Report.HtmlReport.Render(result.Report, Path.Combine(dir, ".lambdaslim", "build"));
        html.ShouldContain("<tr data-artifact=\"Synth\" data-distribution=\"synthpkg\">");
        html.ShouldContain("<td>events/lazy.json, events/table.json</td>");
    }
}
