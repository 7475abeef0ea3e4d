using LambdaSlim.Tests.Cli;

namespace LambdaSlim.Tests.Validate;

/// <summary>`lambdaslim size check` as CI runs it: real builds from the offline wheelhouse, then the gate's exit code.</summary>
public class SizeCommandTests
{
    private static readonly string[] Offline = ["--no-index", "--find-links", TestEnvironment.Wheelhouse, "--platform", "linux_x86_64"];

    private static string Project(string resources, params (string Dir, string Requirements)[] layers)
    {
        var dir = TestEnvironment.NewTempDir("size");
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(e, c):\n    return 1\n");
        foreach (var (layerDir, requirements) in layers)
        {
            Directory.CreateDirectory(Path.Combine(dir, layerDir));
            if (requirements.Length > 0) File.WriteAllText(Path.Combine(dir, layerDir, "requirements.txt"), requirements);
            else File.WriteAllText(Path.Combine(dir, layerDir, "shared.py"), "X = 1\n");
        }
        File.WriteAllText(Path.Combine(dir, "template.yaml"), "Transform: AWS::Serverless-2016-10-31\nResources:\n" + resources);
        return dir;
    }

    private static string Layer(string id, string dir, string metadata = "{}") =>
        $"  {id}:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {{ContentUri: {dir}/, CompatibleRuntimes: [python3.11]}}\n    Metadata: {{BuildMethod: python3.11, LambdaSlim: {metadata}}}\n";

    private static string Function(params string[] layers) =>
        $"  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {{CodeUri: src/, Handler: app.handler, Runtime: python3.11, Layers: [{string.Join(", ", layers.Select(l => "!Ref " + l))}]}}\n";

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Function_plus_layers_over_262144000_bytes_fails_size_check_naming_limit_excess_and_biggest_contributors()
    {
        // Two layers of real Debian numpy, pandas, scikit-learn and scipy, unpruned: about 300 MB together.
        const string stack = "numpy\npandas\nscikit-learn\nscipy\n";
        const string raw = "{prune: none, bytecode: none}";
        var dir = Project(Layer("StackA", "a", raw) + Layer("StackB", "b", raw) + Function("StackA", "StackB"), ("a", stack), ("b", stack));
        var (code, _, err) = await CliHarness.Run(["build", dir, "--skip-validation", "--audit", "off", .. Offline]);
        code.ShouldBe(0, err);

        var (check, stdout, _) = await CliHarness.Run("size", "check", "-p", dir);
        check.ShouldBe(1);
        var line = stdout.Split('\n').Single(l => l.StartsWith("FAIL  Fn:"));
        line.ShouldContain("over Lambda's limit of 262,144,000 bytes by ");
        line.ShouldContain("biggest: scipy");
        line.ShouldContain("move scipy to its own layer");
        line.Split("; ").Length.ShouldBeGreaterThanOrEqualTo(3);

        var (validate, _, verr) = await CliHarness.Run("size", "validate", "-p", dir);
        validate.ShouldBe(1);
        verr.ShouldContain("error: Fn: function plus layers is");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_function_with_six_layers_fails_the_build_before_anything_is_deployed()
    {
        var ids = Enumerable.Range(1, 6).Select(i => $"L{i}").ToArray();
        var dir = Project(string.Concat(ids.Select(id => Layer(id, id.ToLowerInvariant()))) + Function(ids), ids.Select(id => (id.ToLowerInvariant(), "")).ToArray());
        var (code, _, err) = await CliHarness.Run(["build", dir, .. Offline]);
        code.ShouldBe(1);
        err.ShouldContain("error: Fn: uses 6 layers, over Lambda's limit of 5 by 1");
        (await CliHarness.Run("size", "check", "-p", dir)).Code.ShouldBe(1);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_project_within_every_limit_passes_the_gate_and_reports_in_markdown()
    {
        var dir = Project(Layer("Dates", "dates") + Function("Dates"), ("dates", "python-dateutil\n"));
        (await CliHarness.Run(["build", dir, .. Offline])).Code.ShouldBe(0);
        var (code, stdout, _) = await CliHarness.Run("size", "check", "-p", dir);
        code.ShouldBe(0);
        stdout.ShouldStartWith("ok    Fn:");
        var (_, markdown, _) = await CliHarness.Run("size", "report", "-p", dir, "--format", "markdown");
        markdown.ShouldContain("| Component | Before | After |");
        markdown.ShouldContain("| Component | AWS Limit | Target | Current | Status |");
        markdown.ShouldContain("| Fn with layers | ");
    }

    [Fact]
    public async Task Size_commands_before_a_build_say_to_build_first()
    {
        var dir = Project(Function());
        var (code, _, err) = await CliHarness.Run("size", "check", "-p", dir);
        code.ShouldBe(3);
        err.ShouldContain("run 'lambdaslim build' first");
    }
}
