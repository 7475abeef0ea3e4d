using LambdaSlim.Aws;
using LambdaSlim.Model;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Pipeline;

namespace LambdaSlim.Tests.Aws;

/// <summary>
/// `deploy --layers-first` against moto, on a built plain template: the second deploy changes the layer and the
/// function, so it runs two change sets on the stack, the layers' executed and complete before the functions' is
/// created. moto 5.2.1 leaves a function's layers empty when the function is created in a stack and fails an update of
/// a function whose Layers hold a <c>!Ref</c> (a 500: the reference resolves to moto's LayerVersion object, not its
/// ARN), so the function here references no layer; the rewriting of references is pinned by LayersFirstTests and
/// translated by DeployedTemplatesTranslateTests.
/// </summary>
[Trait("Category", "Integration")]
public class LayersFirstDeployTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static string Project(string name = "first") =>
        PlainStack.Project("layersfirst", PlainStack.Template($$"""
              Deps:
                Type: AWS::Lambda::LayerVersion
                Properties:
                  LayerName: deps-{{name}}
                  Content: layer/
                  CompatibleRuntimes: [python3.11]

            """ + PlainStack.Function($"answer-{name}")),
            ("src/app.py", "def handler(event, context):\n    return 1\n"), ("layer/python/deps.py", "VERSION = 1\n"));

    private static async Task Build(string dir) =>
        (await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver()))
            .Findings.Where(f => f.Severity == Severity.Error).ShouldBeEmpty();

    private Task<DeployResult> Deploy(string dir, RecordingObserver observer, bool noExecute = false)
    {
        var environment = moto.ClientEnvironment;
        return Deployment.RunAsync(new DeployRequest
        {
            ProjectDir = dir, StackName = "layers-first", LayersFirst = true, NoExecute = noExecute, PollInterval = TimeSpan.FromMilliseconds(50),
            Aws = AwsOptions.Default with { RetryBaseDelay = TimeSpan.FromMilliseconds(20) }, Environment = k => environment.GetValueOrDefault(k),
        }, observer);
    }

    [Fact]
    public async Task Changed_layers_and_functions_deploy_in_two_change_sets_layers_first()
    {
        var dir = Project();
        await Build(dir);
        var created = new RecordingObserver();
        (await Deploy(dir, created)).Outcome.ShouldNotBeNull().FinalStatus.ShouldBe("CREATE_COMPLETE");
        created.Infos.ShouldContain("--layers-first: one change set, since the stack is new: nothing runs on old layers yet");

        File.WriteAllText(Path.Combine(dir, "layer", "python", "deps.py"), "VERSION = 2\n");
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(event, context):\n    return 2\n");
        await Build(dir);
        var report = BuildReport.TryLoad(new BuildPaths(dir).Report).ShouldNotBeNull();
        var hashed = "Deps" + report.Layers.Single().Sha256[..10];
        var observer = new RecordingObserver();

        var result = await Deploy(dir, observer);

        result.LayersFirst.ShouldNotBeNull().ChangedLayers.ShouldBe(new Dictionary<string, string> { ["Deps"] = hashed });
        result.LayersOutcome.ShouldNotBeNull().FinalStatus.ShouldBe("UPDATE_COMPLETE");
        result.Outcome.ShouldNotBeNull().FinalStatus.ShouldBe("UPDATE_COMPLETE");
        var layers = result.Layers.ShouldNotBeNull().Request.ChangeSetName;
        var functions = result.ChangeSet.Request.ChangeSetName;
        layers.ShouldNotBe(functions);
        result.Layers.Description.Changes.Select(c => (c.Action, c.LogicalResourceId)).ShouldContain(("Add", hashed));

        // Stage 1 was created, executed and followed to UPDATE_COMPLETE before stage 2 was created.
        var infos = observer.Infos.ToList();
        int At(Func<string, bool> match, int from = 0) => infos.FindIndex(from, i => match(i));
        var createLayers = At(i => i.StartsWith($"creating change set {layers} ", StringComparison.Ordinal));
        var executeLayers = At(i => i == $"executing change set {layers} on stack layers-first", createLayers);
        var layersDone = At(i => i.Contains("  UPDATE_COMPLETE  AWS::CloudFormation::Stack  layers-first", StringComparison.Ordinal), executeLayers);
        var createFunctions = At(i => i.StartsWith($"creating change set {functions} ", StringComparison.Ordinal));
        new[] { createLayers, executeLayers, layersDone }.ShouldAllBe(i => i >= 0, string.Join("\n", infos));
        createFunctions.ShouldBeGreaterThan(layersDone, string.Join("\n", infos));

        // CloudFormation's own record agrees: two updates, one after the other (moto records only the stack's own
        // events), and the layers' change set was executed to the end.
        var session = MotoSessions.Open(moto);
        using var cloudFormation = new CloudFormationClient(session);
        var updates = (await cloudFormation.DescribeStackEventsAsync("layers-first")).Reverse()
            .Where(e => e.IsStackEvent && e.ResourceStatus.StartsWith("UPDATE_", StringComparison.Ordinal)).Select(e => e.ResourceStatus).ToList();
        updates.ShouldBe(["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]);
        (await cloudFormation.DescribeChangeSetAsync("layers-first", layers)).ExecutionStatus.ShouldBe("EXECUTE_COMPLETE");

        var resources = await cloudFormation.DescribeStackResourcesAsync("layers-first");
        resources.Select(r => r.LogicalResourceId).ShouldBe(["AnswerRole", hashed, "Answer"], ignoreOrder: true);
        var folder = Path.Combine(dir, ".lambdaslim", "deploy", "layers-first");
        File.ReadAllText(Path.Combine(folder, "stage1.yaml")).ShouldContain($"\n  {hashed}:\n");
        var stage2 = File.ReadAllText(Path.Combine(folder, "template.yaml"));
        stage2.ShouldNotContain("\n  Deps:");
        (await cloudFormation.GetTemplateAsync("layers-first")).ShouldBe(stage2);
        using var lambda = new LambdaClient(session);
        Convert.FromBase64String((await lambda.GetFunctionAsync("answer-first")).ShouldNotBeNull().CodeSha256!)
            .ShouldBe(Convert.FromHexString(report.Functions.Single().Sha256));

        // --no-execute shows stage 1 only: stage 2 cannot be computed before stage 1 has run.
        File.WriteAllText(Path.Combine(dir, "layer", "python", "deps.py"), "VERSION = 3\n");
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(event, context):\n    return 3\n");
        await Build(dir);
        var shown = new RecordingObserver();

        var planned = await Deploy(dir, shown, noExecute: true);

        planned.Outcome.ShouldBeNull();
        planned.ChangeSet.ShouldBeSameAs(planned.Layers);
        planned.ChangeSet.Verdict.ShouldBe(ChangeSetVerdict.Ready);
        shown.Infos.ShouldContain(i => i.StartsWith("stage 2 (the functions) cannot be created before stage 1 is executed", StringComparison.Ordinal));
        (await cloudFormation.DescribeStackAsync("layers-first")).ShouldNotBeNull().Status.ShouldBe("UPDATE_COMPLETE");
    }

    [Fact]
    public void The_command_shows_each_stage_s_changes_under_its_name()
    {
        var dir = Project("cli");
        string[] Deploy() => ["deploy", "-p", dir, "--stack-name", "layers-first-cli", "--layers-first", "--no-index", "--find-links", TestEnvironment.Wheelhouse, "--platform", "linux_x86_64"];
        var first = CliProcess.Run(moto.ClientEnvironment, Deploy());
        first.Code.ShouldBe(0, first.Err);
        File.WriteAllText(Path.Combine(dir, "layer", "python", "deps.py"), "VERSION = 2\n");
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(event, context):\n    return 2\n");

        var second = CliProcess.Run(moto.ClientEnvironment, Deploy());

        second.Code.ShouldBe(0, second.Err);
        second.Out.ShouldContain("stage 1: the layers");
        second.Out.ShouldContain("stage 2: the functions");
        second.Err.ShouldContain("stack layers-first-cli: UPDATE_COMPLETE");
        var stage1 = Path.Combine(dir, ".lambdaslim", "deploy", "layers-first-cli", "stage1.yaml");
        File.Exists(stage1).ShouldBeTrue();

        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "def handler(event, context):\n    return 3\n");
        var third = CliProcess.Run(moto.ClientEnvironment, Deploy());

        third.Code.ShouldBe(0, third.Err);
        third.Err.ShouldContain("--layers-first: one change set, since no layer changed, only functions (Answer)");
        third.Out.ShouldNotContain("stage 1");
        File.Exists(stage1).ShouldBeFalse("what is deployed now is the one template.yaml");
    }
}
