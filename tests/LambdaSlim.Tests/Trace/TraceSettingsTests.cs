using LambdaSlim.Pipeline;

namespace LambdaSlim.Tests.Trace;

/// <summary>Mistakes in the prune: traced settings fail the build before pip runs, with one line and exit 4.</summary>
public class TraceSettingsTests
{
    private static async Task<LambdaSlimException> Fails(string layerMetadata, string functionMetadata, IReadOnlyDictionary<string, string>? events = null)
    {
        var dir = TracedProject.Create(layerMetadata, [("Fn", TracedProject.Handler, functionMetadata)], events ?? new Dictionary<string, string>());
        var e = await Should.ThrowAsync<LambdaSlimException>(() =>
            BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = TracedProject.Settings(dir) }, new RecordingObserver()));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        return e;
    }

    [Fact]
    public async Task A_traced_function_without_events_is_a_config_error()
    {
        var e = await Fails("{}", "{prune: traced}");
        e.Message.ShouldBe("function Fn: prune: traced needs events to run the handler on");
        e.Hint!.ShouldContain("trace-events: [events/*.json]");
    }

    [Fact]
    public async Task A_function_on_a_traced_layer_needs_events_too()
    {
        var e = await Fails("{prune: traced}", "{}");
        e.Message.ShouldBe("function Fn: it uses a layer with prune: traced, which is traced through its functions, but it has no events to run the handler on");
    }

    [Fact]
    public async Task A_trace_events_glob_that_matches_nothing_is_a_config_error()
    {
        var e = await Fails("{}", "{prune: traced, trace-events: [events/missing-*.json]}");
        e.Message.ShouldBe("function Fn: trace-events glob 'events/missing-*.json' matches no file");
    }

    [Fact]
    public async Task An_event_that_is_not_json_is_a_config_error()
    {
        var e = await Fails("{}", "{prune: traced, trace-events: [events/*.json]}", new Dictionary<string, string> { ["events/bad.json"] = "{not json" });
        e.Message.ShouldStartWith("function Fn: event events/bad.json is not JSON (");
    }

    [Fact]
    public async Task Trace_keep_without_prune_traced_is_a_config_error()
    {
        var e = await Fails("{trace-keep: [synthpkg/**]}", "{}");
        e.Message.ShouldBe("layer Synth: trace-keep is set but prune is not traced");
        e.Hint.ShouldBe("set prune: traced, or remove trace-keep");
    }

    [Fact]
    public async Task Trace_events_on_a_layer_is_a_config_error()
    {
        var e = await Fails("{prune: traced, trace-events: [events/*.json]}", "{}");
        e.Message.ShouldStartWith("layer Synth: trace-events is set on a layer");
    }
}
