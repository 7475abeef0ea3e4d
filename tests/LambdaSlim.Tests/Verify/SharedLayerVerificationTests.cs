using LambdaSlim.Model;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Pipeline;

namespace LambdaSlim.Tests.Verify;

/// <summary>
/// Functions on the same layers share one layer set: real CPython imports the layers' modules once for all of them, and
/// each function only its own modules and handler. What it finds is said once for the layer, and per function for a handler.
/// </summary>
[Trait("Category", "Integration")]
public class SharedLayerVerificationTests
{
    private static readonly string[] Functions = ["FnA", "FnB", "FnC"];

    /// <summary>The dateutil layer (python-dateutil, six) and three functions on it, each with its own CodeUri and app.py.</summary>
    private static string Project(string layerMetadata, string? brokenApp = null)
    {
        var dir = TestEnvironment.NewTempDir("shared");
        Directory.CreateDirectory(Path.Combine(dir, "layer"));
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "python-dateutil\n");
        var resources = "";
        foreach (var fn in Functions)
        {
            Directory.CreateDirectory(Path.Combine(dir, fn));
            File.WriteAllText(Path.Combine(dir, fn, "app.py"), fn == Functions[^1] && brokenApp is not null ? brokenApp
                : "from dateutil import parser\ndef handler(e, c):\n    return parser.parse(e['when']).isoformat()\n");
            resources += $$"""

                  {{fn}}:
                    Type: AWS::Serverless::Function
                    Properties: {CodeUri: {{fn}}/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Dates]}
                """;
        }
        File.WriteAllText(Path.Combine(dir, "template.yaml"), $$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Dates:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.11]}
                Metadata: {BuildMethod: python3.11, LambdaSlim: {{layerMetadata}}}
            """ + resources + "\n");
        return dir;
    }

    private static async Task<(BuildResult Result, StatusObserver Observer)> Build(string dir, bool repair = false)
    {
        var observer = new StatusObserver();
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings, Repair = repair }, observer);
        return (result, observer);
    }

    [Fact]
    public async Task Three_functions_on_one_layer_import_its_modules_once_and_each_only_its_handler()
    {
        var (result, observer) = await Build(Project("{prune: safe}"));
        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));
        // One interpreter for the layer set's modules, one per function for its handler; nothing failed, so nothing
        // needed the layout before pruning. Verified one unit at a time, it took two interpreters per function.
        observer.Statuses.ShouldContain(s => s.Contains(" in 4 interpreters (1 layer set, 3 functions), 0 broken by pruning"),
            string.Join("\n", observer.Statuses));
    }

    [Fact]
    public async Task A_broken_import_in_the_shared_layer_is_said_once_naming_the_layer_and_a_broken_handler_per_function()
    {
        var (result, observer) = await Build(Project("{exclude: ['six.py']}", brokenApp: "import does_not_exist\ndef handler(e, c):\n    return 1\n"));
        result.Failed.ShouldBeTrue();
        var six = result.Findings.Where(f => f.Message.Contains("import six worked before pruning and fails after")).ShouldHaveSingleItem(string.Join("\n", result.Findings));
        six.Subject.ShouldBe("layer Dates");
        six.Severity.ShouldBe(Severity.Error);
        six.Message.ShouldContain("removed by rule exclude");
        six.Message.ShouldContain("the same for all 3 functions on these layers: function FnA, function FnB, function FnC");

        // The two handlers that need dateutil.parser, and so six, each break; the third never loaded.
        result.Findings.Where(f => f.Message.Contains("import app worked before pruning and fails after")).Select(f => f.Subject)
            .ShouldBe(["function FnA", "function FnB"]);
        result.Findings.Where(f => f.Message.Contains("handler app.handler cannot be loaded")).ShouldHaveSingleItem().Subject.ShouldBe("function FnC");
        // The layer set (after, then before) and each function (after, then before, since each failed): 8.
        observer.Statuses.ShouldContain(s => s.Contains(" in 8 interpreters (1 layer set, 3 functions), 3 broken by pruning"), string.Join("\n", observer.Statuses));
    }

    [Fact]
    public async Task Repair_puts_back_the_shared_layer_file_once_and_every_function_verifies()
    {
        var (result, observer) = await Build(Project("{exclude: ['six.py']}"), repair: true);
        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));
        observer.Warnings.Where(w => w.StartsWith("repair: put back", StringComparison.Ordinal)).ShouldHaveSingleItem().ShouldStartWith("repair: put back 1 file in layer Dates");
        // The round after the repair imports the layer set once again, and each function's handler.
        observer.Statuses.Last(s => s.Contains(" interpreters (", StringComparison.Ordinal)).ShouldContain(" in 4 interpreters (1 layer set, 3 functions), 0 broken by pruning");
    }

    /// <summary>Keeps what a build said, its steps' statuses too (the verification says how many interpreters it ran).</summary>
    private sealed class StatusObserver : IBuildObserver
    {
        private readonly RecordingObserver _recorded = new();
        private readonly List<string> _statuses = [];
        private readonly Lock _lock = new();

        public IReadOnlyList<string> Statuses { get { lock (_lock) return _statuses.ToList(); } }
        public IReadOnlyList<string> Warnings => _recorded.Warnings;

        public void Info(string message) => _recorded.Info(message);
        public void Warn(string message) => _recorded.Warn(message);
        public IProgressStep Step(string name, long? total = null) { _recorded.Info(name); return new Recording(this); }

        private sealed class Recording(StatusObserver owner) : IProgressStep
        {
            public void Report(long done, string? status = null) { if (status is not null) Status(status); }
            public void Status(string status) { lock (owner._lock) owner._statuses.Add(status); }
            public void Dispose() { }
        }
    }
}
