using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LambdaSlim.Aws;
using LambdaSlim.Operate;
using LambdaSlim.Pipeline;
using LambdaSlim.Project;

namespace LambdaSlim.Bench;

/// <summary>
/// The day-to-day loop against moto: the time from editing a handler to `sync` returning (incremental build, then
/// the changed zip straight to Lambda), against a full `deploy` of the same kind of change in the same run
/// (incremental build, upload, change set, execute, follow the stack's events). moto executes a change set at once
/// where CloudFormation takes a minute or more, so deploy's time here is a lower bound and the ratio flatters deploy;
/// the build's share and the AWS part are printed apart. No target is marked: against moto the build dominates both.
/// </summary>
public static class SyncBench
{
    public static async Task RunAsync(string wheelhouse, bool quick, int runs)
    {
        var project = App(quick);
        Console.WriteLine($"settings: {(quick ? "a layer of six + python-dateutil and two functions on it" : "a layer of numpy + pandas + scikit-learn + scipy, one of six + python-dateutil, three functions")},");
        Console.WriteLine($"  plain CloudFormation (moto runs no SAM transform), moto {MotoVersion()} on 127.0.0.1, deploy polling every 2 s as by default; {runs} run{(runs == 1 ? "" : "s")}, medians");
        using var moto = await Moto.StartAsync();
        var environment = moto.Environment;
        string? Env(string k) => environment.GetValueOrDefault(k);
        var deploy = new DeployRequest { ProjectDir = project, StackName = "bench", Environment = Env };
        // Neither path puts the PackageSize metric: Deployment.RunAsync does not (the deploy command does, after it).
        var sync = new SyncRequest { ProjectDir = project, StackName = "bench", Environment = Env, Metrics = false };

        await BuildAsync(project, wheelhouse);
        await Deployment.RunAsync(deploy, new RecordingObserver());
        // moto ignores layers inside a stack: the first sync gives the functions theirs, as CloudFormation would have.
        await Sync.RunAsync(sync, new RecordingObserver());

        var deploys = new List<(double Build, double Aws)>();
        var syncs = new List<(double Build, double Aws)>();
        var noops = new List<double>();
        var writes = new List<int>();
        for (var run = 0; run < runs; run++)
        {
            EditOneHandler(project, run, "deploy");
            var build = await TimeAsync(() => BuildAsync(project, wheelhouse));
            DeployResult? deployed = null;
            var aws = await TimeAsync(async () => deployed = await Deployment.RunAsync(deploy, new RecordingObserver()));
            deploys.Add((build, aws));
            if (deployed!.Outcome?.Succeeded != true) throw new BenchFailedException($"the deploy ended {deployed.Outcome?.FinalStatus ?? deployed.ChangeSet.Verdict.ToString()}");
            await Sync.RunAsync(sync, new RecordingObserver());

            EditOneHandler(project, run, "sync");
            build = await TimeAsync(() => BuildAsync(project, wheelhouse));
            SyncResult? synced = null;
            aws = await TimeAsync(async () => synced = await Sync.RunAsync(sync, new RecordingObserver()));
            syncs.Add((build, aws));
            writes.Add(synced!.WriteCalls);

            SyncResult? none = null;
            noops.Add(await TimeAsync(async () =>
            {
                await BuildAsync(project, wheelhouse);
                none = await Sync.RunAsync(sync, new RecordingObserver());
            }));
            if (!none!.NoChanges) throw new BenchFailedException($"a sync with nothing changed made {none.WriteCalls} write calls");
        }
        var d = BenchProject.Median(deploys.Select(x => x.Build + x.Aws));
        var s = BenchProject.Median(syncs.Select(x => x.Build + x.Aws));
        var (dAws, sAws) = (BenchProject.Median(deploys.Select(x => x.Aws)), BenchProject.Median(syncs.Select(x => x.Aws)));
        var n = BenchProject.Median(noops);
        Console.WriteLine($"  edit a handler, then deploy:     {d,6:0.00} s  (build {BenchProject.Median(deploys.Select(x => x.Build)),5:0.00} s, deploy {dAws,5:0.00} s)");
        Console.WriteLine($"  edit a handler, then sync:       {s,6:0.00} s  (build {BenchProject.Median(syncs.Select(x => x.Build)),5:0.00} s, sync   {sAws,5:0.00} s)   {s / d,5:0.00}x deploy");
        Console.WriteLine($"    the AWS part alone:            sync {sAws / dAws,5:0.00}x deploy; write calls per sync: {string.Join(", ", writes.Distinct())}");
        Console.WriteLine($"  nothing changed, build and sync: {n,6:0.00} s   {n / d,5:0.00}x deploy; write calls: 0");
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var sw = Stopwatch.StartNew();
        await work();
        return sw.Elapsed.TotalSeconds;
    }

    private static async Task BuildAsync(string project, string wheelhouse)
    {
        var request = BenchProject.Request(project, wheelhouse, AuditMode.Warn, verify: true) with { Scope = BuildScope.All };
        var result = await BuildPipeline.RunAsync(request, new RecordingObserver());
        if (result.Failed)
            throw new BenchFailedException($"the build of {project} failed:\n{string.Join('\n', result.Findings.Select(f => $"  {f.Severity} {f.Subject}: {f.Message}"))}");
    }

    private static void EditOneHandler(string project, int run, string why)
    {
        var fn = ProjectLoader.Load(project).Functions.Last();
        File.AppendAllText(Path.Combine(fn.CodeDir, fn.HandlerModule.Replace('.', '/') + ".py"), $"\n# edited by the sync bench before {why} {run}\n");
    }

    private static string App(bool quick)
    {
        var dir = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", "sync-app");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(Path.Combine(dir, "dates"));
        File.WriteAllText(Path.Combine(dir, "dates", "requirements.txt"), BenchTree.Quick.Requirements);
        var functions = quick ? new[] { "One", "Two" } : ["Predict", "Train", "Report"];
        foreach (var fn in functions)
        {
            Directory.CreateDirectory(Path.Combine(dir, fn.ToLowerInvariant()));
            File.WriteAllText(Path.Combine(dir, fn.ToLowerInvariant(), "app.py"), "from dateutil import parser\ndef handler(e, c):\n    return parser.parse(e['when']).isoformat()\n");
        }
        var layers = "[!Ref Dates]";
        var science = "";
        if (!quick)
        {
            Directory.CreateDirectory(Path.Combine(dir, "science"));
            File.WriteAllText(Path.Combine(dir, "science", "requirements.txt"), BenchTree.DataScience.Requirements);
            science = """
                  Science:
                    Type: AWS::Lambda::LayerVersion
                    Properties: {Content: science/, CompatibleRuntimes: [python3.11]}
                    Metadata: {BuildMethod: python3.11}
                """;
            layers = "[!Ref Science, !Ref Dates]";
        }
        var resources = string.Concat(functions.Select(fn => $"""
              {fn}:
                Type: AWS::Lambda::Function
                Properties: {"{"}Code: {fn.ToLowerInvariant()}/, Handler: app.handler, Runtime: python3.11, Role: !GetAtt Role.Arn, Layers: {layers}{"}"}

            """));
        File.WriteAllText(Path.Combine(dir, "template.yaml"), $"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - {"{"}Effect: Allow, Principal: {"{"}Service: lambda.amazonaws.com{"}"}, Action: sts:AssumeRole{"}"}
              Dates:
                Type: AWS::Lambda::LayerVersion
                Properties: {"{"}Content: dates/, CompatibleRuntimes: [python3.11]{"}"}
                Metadata: {"{"}BuildMethod: python3.11{"}"}
            {science}
            {resources}
            """);
        return dir;
    }

    private static string MotoVersion() => BenchProject.Run("python3", ["-c", "import moto; print(moto.__version__)"]).Output.Trim();

    /// <summary>A moto server of the bench's own on a free port, stopped when the bench ends.</summary>
    private sealed class Moto : IDisposable
    {
        private readonly Process _process;

        private Moto(Process process, int port)
        {
            _process = process;
            Environment = new()
            {
                ["AWS_ACCESS_KEY_ID"] = "bench",
                ["AWS_SECRET_ACCESS_KEY"] = "bench",
                ["AWS_DEFAULT_REGION"] = "us-east-1",
                ["AWS_CONFIG_FILE"] = "/dev/null",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
                ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{port}",
            };
        }

        public Dictionary<string, string> Environment { get; }

        public static async Task<Moto> StartAsync()
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
            var process = Process.Start(psi) ?? throw new BenchFailedException("cannot start python3 -m moto.server");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var moto = new Moto(process, port);
            using var http = new HttpClient();
            for (var i = 0; i < 150; i++)
            {
                try
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{port}/moto-api/");
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable) return moto;
                }
                catch (HttpRequestException) { }
                if (process.HasExited) break;
                await Task.Delay(200);
            }
            moto.Dispose();
            throw new BenchFailedException("moto did not start (pip install 'moto[server]')");
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
