using System.Diagnostics;
using LambdaSlim.Aws;
using LambdaSlim.Tests.Aws;
using LambdaSlim.Model;
using LambdaSlim.Operate;

namespace LambdaSlim.Tests.Operate;

/// <summary>
/// `lambdaslim sync` and `lambdaslim status` against moto, through the real CLI: a stack deployed from an older build
/// gets the new code of every function and a new version of every layer; a second sync writes nothing; an edited
/// handler updates that one function; status then shows the drift from the stack's template.
/// </summary>
[Trait("Category", "Integration")]
public class SyncCommandTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private (int Code, string Out, string Err) Cli(params string[] args) => CliProcess.Run(moto.ClientEnvironment, args);

    [Fact]
    public async Task Sync_updates_every_function_and_publishes_every_layer_then_a_second_sync_makes_no_write_call()
    {
        var dir = SyncProject.Create();
        var stack = await SyncProject.PlaceholderStackAsync(moto);

        var first = Cli(["sync", "-p", dir, "--stack-name", stack, .. SyncProject.Offline]);

        first.Code.ShouldBe(0, first.Err);
        first.Err.ShouldContain($"stack {stack} now drifts from its template");
        var report = BuildReport.TryLoad(new BuildPaths(dir).Report).ShouldNotBeNull();
        var names = await SyncProject.NamesAsync(moto, stack);
        using var lambda = new LambdaClient(MotoSessions.Open(moto));
        var layerArns = new Dictionary<string, string>();
        foreach (var layer in report.Layers)
        {
            var versions = await lambda.ListLayerVersionsAsync(names[layer.LogicalId]);
            versions.Count.ShouldBe(2, $"{layer.LogicalId}: the stack's version and the one sync published");
            var latest = (await lambda.GetLayerVersionByArnAsync(versions.MaxBy(v => v.Version)!.LayerVersionArn)).ShouldNotBeNull();
            latest.CodeSha256.ShouldBe(Convert.ToBase64String(Convert.FromHexString(layer.Sha256)));
            layerArns[layer.LogicalId] = latest.LayerVersionArn;
        }
        foreach (var function in report.Functions)
        {
            var live = (await lambda.GetFunctionConfigurationAsync(names[function.LogicalId])).ShouldNotBeNull();
            live.CodeSha256.ShouldBe(Convert.ToBase64String(Convert.FromHexString(function.Sha256)), function.LogicalId);
        }
        (await lambda.GetFunctionConfigurationAsync(names["Api"]))!.LayerArns.ShouldBe([layerArns["DatesLayer"], layerArns["HelpersLayer"]]);
        (await lambda.GetFunctionConfigurationAsync(names["Worker"]))!.LayerArns.ShouldBe([layerArns["HelpersLayer"]]);
        using (var cloudWatch = new CloudWatchClient(MotoSessions.Open(moto)))
        {
            var series = await cloudWatch.ListMetricsAsync(PackageSizeMetrics.Namespace, PackageSizeMetrics.MetricName);
            foreach (var function in new[] { "Api", "Worker" })
                series.ShouldContain(d => d.Contains(new MetricDimension(PackageSizeMetrics.FunctionNameDimension, names[function])), $"the PackageSize of {function}");
        }

        await moto.StartRecordingAsync();
        var second = Cli("sync", "-p", dir, "--stack-name", stack, "--skip-build");
        var requests = await moto.StopRecordingAsync();

        second.Code.ShouldBe(0, second.Err);
        second.Err.ShouldContain($"no changes: stack {stack} already runs this build; nothing was sent");
        requests.ShouldContain(r => r.Path == $"/2015-03-31/functions/{names["Api"]}/configuration", "the recorder saw the sync's reads");
        requests.Where(SyncProject.IsWrite).ShouldBeEmpty();
        foreach (var layer in report.Layers) (await lambda.ListLayerVersionsAsync(names[layer.LogicalId])).Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_edited_handler_updates_that_function_only()
    {
        var dir = SyncProject.Create();
        var stack = await SyncProject.PlaceholderStackAsync(moto);
        var first = Cli(["sync", "-p", dir, "--stack-name", stack, .. SyncProject.Offline]);
        first.Code.ShouldBe(0, first.Err);
        var names = await SyncProject.NamesAsync(moto, stack);
        using var lambda = new LambdaClient(MotoSessions.Open(moto));
        var apiBefore = (await lambda.GetFunctionConfigurationAsync(names["Api"]))!.CodeSha256;
        SyncProject.Write(dir, "worker/app.py", "import helpers\ndef handler(e, c):\n    return helpers.GREETING + '!'\n");

        await moto.StartRecordingAsync();
        var second = Cli(["sync", "-p", dir, "--stack-name", stack, .. SyncProject.Offline]);
        var requests = await moto.StopRecordingAsync();

        second.Code.ShouldBe(0, second.Err);
        requests.Where(SyncProject.IsWrite).ShouldBe([("PUT", $"/2015-03-31/functions/{names["Worker"]}/code", null), ("POST", "/", "PutMetricData")]);
        var worker = BuildReport.TryLoad(new BuildPaths(dir).Report)!.Functions.Single(f => f.LogicalId == "Worker");
        (await lambda.GetFunctionConfigurationAsync(names["Worker"]))!.CodeSha256.ShouldBe(Convert.ToBase64String(Convert.FromHexString(worker.Sha256)));
        (await lambda.GetFunctionConfigurationAsync(names["Api"]))!.CodeSha256.ShouldBe(apiBefore);
    }

    [Fact]
    public async Task Status_shows_each_function_in_sync_after_a_deploy_and_the_drift_after_a_sync()
    {
        var dir = SyncProject.Create();
        var stack = $"status-{Guid.NewGuid():N}"[..15];
        var deploy = Cli(["deploy", "-p", dir, "--stack-name", stack, .. SyncProject.Offline]);
        deploy.Code.ShouldBe(0, deploy.Err);

        var before = Cli("status", "-p", dir, "--stack-name", stack);

        before.Code.ShouldBe(0, before.Err);
        before.Out.ShouldContain($"stack {stack}: CREATE_COMPLETE");
        Row(before.Out, "Api").ShouldContain("in sync");
        Row(before.Out, "Api").ShouldContain("as deployed");
        before.Out.ShouldNotContain("drifted");

        SyncProject.Write(dir, "api/app.py", "from dateutil import parser\nimport helpers\ndef handler(e, c):\n    return parser.parse(e['when']).isoformat()\n");
        await moto.StartRecordingAsync();
        var sync = Cli(["sync", "Api", "-p", dir, "--stack-name", stack, "--no-metrics", .. SyncProject.Offline]);
        var requests = await moto.StopRecordingAsync();
        sync.Code.ShouldBe(0, sync.Err);
        // Api's code (and its layers: moto ignores them inside a stack, so the deploy left the function without any).
        requests.Where(SyncProject.IsWrite).Select(r => r.Path[(r.Path.LastIndexOf('/') + 1)..]).ShouldBe(["configuration", "code"], "no PutMetricData with --no-metrics");
        var after = Cli("status", "-p", dir, "--stack-name", stack, "--follow");

        after.Code.ShouldBe(0, after.Err);
        Row(after.Out, "Api").ShouldContain("in sync");
        Row(after.Out, "Api").ShouldContain("drifted");
        Row(after.Out, "Worker").ShouldContain("as deployed");
        after.Err.ShouldContain($"Api runs code other than the stack's template names (a sync changed it); `lambdaslim deploy --stack-name {stack}` brings the stack back in line");
        after.Err.ShouldContain($"stack {stack} is CREATE_COMPLETE: nothing to follow");
    }

    private static string Row(string table, string function) =>
        table.Split('\n').Single(l => l.TrimStart().StartsWith(function + " ", StringComparison.Ordinal));

    [Fact]
    public async Task A_zip_over_the_direct_upload_limit_goes_through_S3()
    {
        var dir = SyncProject.Create();
        var build = Cli(["build", "-p", dir, .. SyncProject.Offline]);
        build.Code.ShouldBe(0, build.Err);
        var stack = await SyncProject.PlaceholderStackAsync(moto);
        var environment = moto.ClientEnvironment;

        var result = await Sync.RunAsync(new SyncRequest
        {
            ProjectDir = dir,
            StackName = stack,
            DirectUploadLimit = 1,
            Environment = k => environment.GetValueOrDefault(k),
        }, new RecordingObserver());

        result.Layers.ShouldAllBe(l => l.Published && l.ThroughS3);
        result.Functions.ShouldAllBe(f => f.CodeUpdated && f.ThroughS3);
        var report = BuildReport.TryLoad(new BuildPaths(dir).Report)!;
        using var lambda = new LambdaClient(MotoSessions.Open(moto));
        foreach (var function in result.Functions)
        {
            var sha = report.Functions.Single(f => f.LogicalId == function.LogicalId).Sha256;
            (await lambda.GetFunctionConfigurationAsync(function.FunctionName))!.CodeSha256.ShouldBe(Convert.ToBase64String(Convert.FromHexString(sha)));
        }
    }

    [Fact]
    public async Task Errors_are_one_line_with_the_documented_exit_code()
    {
        var dir = SyncProject.Create();
        var unbuilt = Cli("sync", "-p", dir, "--stack-name", "whatever", "--skip-build");
        unbuilt.Code.ShouldBe(3, unbuilt.Err);
        unbuilt.Err.ShouldContain("nothing is built yet");

        var missing = Cli(["sync", "-p", dir, "--stack-name", "no-such-stack", .. SyncProject.Offline]);
        missing.Code.ShouldBe(10, missing.Err);
        missing.Err.ShouldContain("stack no-such-stack does not exist in us-east-1: create it first: lambdaslim deploy --stack-name no-such-stack");

        var stack = await SyncProject.PlaceholderStackAsync(moto);
        var unknown = Cli("sync", "Nope", "-p", dir, "--stack-name", stack, "--skip-build");
        unknown.Code.ShouldBe(2, unknown.Err);
        unknown.Err.ShouldContain("no built function named 'Nope'");
        unknown.Err.ShouldContain("use one of: Api, Worker, or 'all'");

        var environment = new Dictionary<string, string>(moto.ClientEnvironment) { ["AWS_ACCESS_KEY_ID"] = "", ["AWS_SECRET_ACCESS_KEY"] = "" };
        var noCredentials = CliProcess.Run(environment, "sync", "-p", dir, "--stack-name", stack, "--skip-build");
        noCredentials.Code.ShouldBe(4, noCredentials.Err);
        var status = CliProcess.Run(environment, "status", "-p", dir, "--stack-name", stack);
        status.Code.ShouldBe(4, status.Err);
    }

    [Fact]
    public async Task Watch_syncs_an_edited_handler_and_ends_with_130_on_Ctrl_C()
    {
        var dir = SyncProject.Create();
        var stack = await SyncProject.PlaceholderStackAsync(moto);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "LambdaSlim.Cli.dll"), "sync", "-p", dir, "--stack-name", stack, "--watch" }.Concat(SyncProject.Offline))
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in moto.ClientEnvironment) psi.Environment[k] = v;
        psi.Environment.Remove(LambdaSlim.Cache.CacheLocation.EnvironmentVariable);
        using var process = Process.Start(psi)!;
        var err = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (err) err.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await Until(() => Text(err).Contains("Ctrl-C stops"), process, err);
            var mark = Text(err).Length;
            SyncProject.Write(dir, "worker/app.py", "import helpers\ndef handler(e, c):\n    return 'edited'\n");
            await Until(() => Text(err)[mark..].Contains("synced 1 change to stack"), process, err);

            TestEnvironment.Run("kill", "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            (await Task.Run(() => process.WaitForExit(60_000))).ShouldBeTrue("the watch ends on Ctrl-C");
            process.WaitForExit(); // and its output is read to the end

            process.ExitCode.ShouldBe(130, Text(err));
            Text(err)[mark..].ShouldContain("changed: ");
            Text(err)[mark..].ShouldContain("stopped watching");
            var worker = BuildReport.TryLoad(new BuildPaths(dir).Report)!.Functions.Single(f => f.LogicalId == "Worker");
            var names = await SyncProject.NamesAsync(moto, stack);
            using var lambda = new LambdaClient(MotoSessions.Open(moto));
            (await lambda.GetFunctionConfigurationAsync(names["Worker"]))!.CodeSha256.ShouldBe(Convert.ToBase64String(Convert.FromHexString(worker.Sha256)));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static string Text(System.Text.StringBuilder err)
    {
        lock (err) return err.ToString();
    }

    /// <summary>Waits for the watching process to say something, failing with what it said if it exits or takes minutes.</summary>
    private static async Task Until(Func<bool> condition, Process process, System.Text.StringBuilder err)
    {
        for (var i = 0; i < 1200 && !condition(); i++)
        {
            if (process.HasExited) throw new ShouldAssertException($"sync --watch exited with {process.ExitCode}: {Text(err)}");
            await Task.Delay(100);
        }
        if (!condition()) throw new ShouldAssertException($"sync --watch did not get there: {Text(err)}");
    }
}
