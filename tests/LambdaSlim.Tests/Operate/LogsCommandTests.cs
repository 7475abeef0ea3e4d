using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LambdaSlim.Cache;
using LambdaSlim.ColdStart;
using LambdaSlim.Model;
using LambdaSlim.Tests.Aws;

namespace LambdaSlim.Tests.Operate;

/// <summary>
/// `lambdaslim logs` against moto, through the real CLI: a plain stack's function, found by its logical ID, whose log
/// group holds the lines Lambda writes (START, the handler's output, an error with its traceback, END, REPORT).
/// </summary>
[Trait("Category", "Integration")]
public class LogsCommandTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly string Template = PlainStack.Template("""
          Answer:
            Type: AWS::Lambda::Function
            Properties:
              Code: {ZipFile: "def handler(event, context):\n    return 42\n"}
              Handler: index.handler
              Runtime: python3.12
              Role: !GetAtt AnswerRole.Arn
        """);

    private static string Report(string id, double duration, double? init) =>
        $"REPORT RequestId: {id}\tDuration: {duration} ms\tBilled Duration: {Math.Ceiling(duration)} ms\tMemory Size: 1024 MB\tMax Memory Used: 88 MB\t" +
        (init is { } i ? $"Init Duration: {i} ms\t" : "") + "\n";

    /// <summary>Three invocations, two of them cold; the second fails.</summary>
    private static readonly string[] Invocations =
    [
        "INIT_START Runtime Version: python:3.12.v40\n",
        "START RequestId: r1 Version: $LATEST\n",
        "validated 12 items\n",
        "END RequestId: r1\n",
        Report("r1", 102.35, 450.12),
        "START RequestId: r2 Version: $LATEST\n",
        "[ERROR] ValueError: bad item\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 3, in handler\n",
        "END RequestId: r2\n",
        Report("r2", 2.5, null),
        "INIT_START Runtime Version: python:3.12.v40\n",
        "START RequestId: r3 Version: $LATEST\n",
        "END RequestId: r3\n",
        Report("r3", 98.1, 610.4),
    ];

    /// <summary>A stack with one function, and its log group holding <paramref name="messages"/> from two minutes ago; returns the function's name.</summary>
    private string DeployWithLogs(string stack, IReadOnlyList<string> messages)
    {
        var template = Path.Combine(TestEnvironment.NewTempDir("logs-stack"), "template.yaml");
        File.WriteAllText(template, Template);
        Aws("cloudformation", "create-stack", "--stack-name", stack, "--template-body", $"file://{template}", "--capabilities", "CAPABILITY_IAM");
        var function = Aws("cloudformation", "describe-stack-resources", "--stack-name", stack,
            "--query", "StackResources[?LogicalResourceId=='Answer'].PhysicalResourceId", "--output", "text").Trim();
        function.ShouldNotBeNullOrEmpty();
        Aws("logs", "create-log-group", "--log-group-name", $"/aws/lambda/{function}");
        Put(function, "2026/11/30/[$LATEST]0001", DateTimeOffset.UtcNow.AddMinutes(-2), messages);
        return function;
    }

    private void Put(string function, string stream, DateTimeOffset from, IReadOnlyList<string> messages)
    {
        Aws("logs", "create-log-stream", "--log-group-name", $"/aws/lambda/{function}", "--log-stream-name", stream);
        var events = Path.Combine(TestEnvironment.NewTempDir("log-events"), "events.json");
        File.WriteAllText(events, JsonSerializer.Serialize(messages.Select((m, i) => new { timestamp = from.ToUnixTimeMilliseconds() + i, message = m })));
        Aws("logs", "put-log-events", "--log-group-name", $"/aws/lambda/{function}", "--log-stream-name", stream, "--log-events", $"file://{events}");
    }

    private string Aws(params string[] args)
    {
        var (code, output) = moto.Aws(args);
        code.ShouldBe(0, output);
        return output;
    }

    [Fact]
    public void Logs_of_a_logical_ID_show_every_line_with_REPORT_lines_parsed_and_a_count_of_errors_and_cold_starts()
    {
        var function = DeployWithLogs("logs-all", Invocations);

        var (code, stdout, stderr) = CliProcess.Run(moto.ClientEnvironment, "logs", "Answer", "--stack-name", "logs-all");

        code.ShouldBe(0, stderr);
        stderr.ShouldContain($"/aws/lambda/{function} in us-east-1");
        stdout.ShouldContain("validated 12 items");
        stdout.ShouldContain("[ERROR] ValueError: bad item\nTraceback (most recent call last):");
        stdout.ShouldContain("REPORT r1 duration 102.35 ms (billed 103 ms), memory 88 of 1024 MB, cold start: init 450.12 ms");
        stdout.ShouldContain("REPORT r2 duration 2.5 ms (billed 3 ms), memory 88 of 1024 MB\n");
        stdout.ShouldNotContain("Max Memory Used", customMessage: "REPORT lines are shown parsed");
        stdout.IndexOf("validated 12 items", StringComparison.Ordinal).ShouldBeLessThan(stdout.IndexOf("bad item", StringComparison.Ordinal), "oldest first");
        stderr.ShouldContain("13 events, 1 error, 3 invocations reported (2 cold starts)");
    }

    [Fact]
    public void Filter_shows_only_the_matching_lines()
    {
        DeployWithLogs("logs-filter", Invocations);

        var (code, stdout, stderr) = CliProcess.Run(moto.ClientEnvironment, "logs", "Answer", "--stack-name", "logs-filter", "--filter", "ERROR");

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("[ERROR] ValueError: bad item");
        stdout.ShouldNotContain("validated 12 items");
        stdout.ShouldNotContain("REPORT");
        stderr.ShouldContain("1 event, 1 error");
    }

    [Fact]
    public void Since_leaves_out_older_events()
    {
        var function = DeployWithLogs("logs-since", Invocations);
        Put(function, "2026/11/30/[$LATEST]0002", DateTimeOffset.UtcNow.AddSeconds(-5), ["a line from just now\n"]);

        var (code, stdout, stderr) = CliProcess.Run(moto.ClientEnvironment, "logs", "Answer", "--stack-name", "logs-since", "--since", "1m");

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("a line from just now");
        stdout.ShouldNotContain("validated 12 items");
    }

    [Fact]
    public void Cold_starts_summarise_the_init_durations_beside_the_local_coldstart_measurement()
    {
        DeployWithLogs("logs-cold", Invocations);
        var project = TestEnvironment.NewTempDir("logs-project");
        var output = new BuildPaths(project).Output;
        Directory.CreateDirectory(output);
        var local = new ColdStartResult("Answer", "index.handler", 5, 123.4, 310.2, [], null, null);
        File.WriteAllText(Path.Combine(output, ColdStartProbe.FileName), JsonSerializer.Serialize(new Dictionary<string, ColdStartResult> { ["Answer"] = local }, BuildReport.Json));

        var (code, stdout, stderr) = CliProcess.Run(moto.ClientEnvironment, "logs", "Answer", "--stack-name", "logs-cold", "--cold-starts", "-p", project);

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("2 of 3 invocations");
        var lambda = stdout.Split('\n').Single(l => l.StartsWith("Lambda init duration", StringComparison.Ordinal));
        lambda.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ShouldBe(["Lambda init duration (REPORT)", "2", "450.12 ms", "530.26 ms", "610.4 ms", "610.4 ms"]);
        stdout.ShouldContain("local handler import (lambdaslim coldstart)");
        stdout.Split('\n').Single(l => l.StartsWith("local handler import", StringComparison.Ordinal)).ShouldContain("123.4 ms");
    }

    [Fact]
    public void Cold_starts_without_a_local_measurement_say_how_to_make_one()
    {
        DeployWithLogs("logs-cold-alone", Invocations);

        var (code, stdout, stderr) = CliProcess.Run(moto.ClientEnvironment, "logs", "Answer", "--stack-name", "logs-cold-alone", "--cold-starts", "-p", TestEnvironment.NewTempDir("empty"));

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("run `lambdaslim coldstart Answer`");
    }

    [Fact]
    public void A_function_the_stack_does_not_have_is_an_input_error_naming_the_ones_it_has()
    {
        DeployWithLogs("logs-missing", Invocations);

        var (code, _, stderr) = CliProcess.Run(moto.ClientEnvironment, "logs", "Predict", "--stack-name", "logs-missing");

        code.ShouldBe(3, stderr);
        stderr.ShouldContain("stack logs-missing has no function 'Predict': give one of its logical IDs or function names: Answer");
    }

    [Fact]
    public void A_stack_that_does_not_exist_is_an_input_error()
    {
        var (code, _, stderr) = CliProcess.Run(moto.ClientEnvironment, "logs", "Answer", "--stack-name", "no-such-stack");

        code.ShouldBe(3, stderr);
        stderr.ShouldContain("there is no stack no-such-stack in us-east-1: check --stack-name and --region");
    }

    [Fact]
    public void A_function_without_a_log_group_is_an_input_error_that_says_why()
    {
        var (code, _, stderr) = CliProcess.Run(moto.ClientEnvironment, "logs", "never-invoked");

        code.ShouldBe(3, stderr);
        stderr.ShouldContain("function never-invoked has no log group /aws/lambda/never-invoked in us-east-1");
    }

    [Fact]
    public void Tail_shows_new_events_as_they_arrive_and_ends_cleanly_on_ctrl_c()
    {
        var function = DeployWithLogs("logs-tail", Invocations);
        using var tail = new RunningCli(moto.ClientEnvironment, "logs", "Answer", "--stack-name", "logs-tail", "--tail");
        tail.WaitForOutput("cold start: init 610.4 ms");

        Put(function, "2026/11/30/[$LATEST]0003", DateTimeOffset.UtcNow, ["Task timed out after 30.03 seconds\n"]);
        tail.WaitForOutput("Task timed out after 30.03 seconds");
        var (code, stdout, stderr) = tail.Interrupt();

        code.ShouldBe(130, stderr);
        stderr.ShouldNotContain("error:");
        stdout.Split('\n').Count(l => l.Contains("validated 12 items", StringComparison.Ordinal)).ShouldBe(1, "each event is shown once, however often it is polled");
    }

    /// <summary>The CLI in its own process, left running: its output is read as it comes, and it is stopped with SIGINT (Ctrl+C).</summary>
    private sealed class RunningCli : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _out = new();
        private readonly ConcurrentQueue<string> _err = new();

        public RunningCli(IReadOnlyDictionary<string, string> environment, params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LambdaSlim.Cli.dll"));
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment.Remove(CacheLocation.EnvironmentVariable);
            foreach (var (k, v) in environment) psi.Environment[k] = v;
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _out.Enqueue(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _err.Enqueue(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        private string Out => string.Join('\n', _out);
        private string Err => string.Join('\n', _err);

        public void WaitForOutput(string text)
        {
            // A bound for a broken run, not a measurement: the poll interval is 2 s.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (!Out.Contains(text, StringComparison.Ordinal))
            {
                if (_process.HasExited) throw new ShouldAssertException($"the CLI exited with {_process.ExitCode} before showing '{text}': {Err}");
                if (DateTime.UtcNow > deadline) throw new ShouldAssertException($"'{text}' did not appear; stdout so far:\n{Out}\nstderr:\n{Err}");
                Thread.Sleep(100);
            }
        }

        public (int Code, string Out, string Err) Interrupt()
        {
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            if (!_process.WaitForExit(60_000)) throw new ShouldAssertException("the CLI did not stop on SIGINT");
            _process.WaitForExit();
            return (_process.ExitCode, Out, Err);
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
