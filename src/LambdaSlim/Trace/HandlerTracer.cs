using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LambdaSlim.IO;
using LambdaSlim.Verify;

namespace LambdaSlim.Trace;

/// <summary>
/// One call of a handler on one event, and what it touched: the handler's output (its result as JSON, keys sorted) or
/// its error, the interpreter's stderr, every file it opened or imported and every shared library mapped at exit
/// (absolute paths), and every module imported.
/// </summary>
public sealed record TraceRun(string Event, string? Output, string? Error, string StdErr, IReadOnlyList<string> Files, IReadOnlyList<string> Modules)
{
    /// <summary>What a replay must reproduce byte for byte.</summary>
    public string Result => Error is null ? $"output {Output}" : $"error {Error}";
}

/// <summary>
/// Runs a handler on an event with the runtime's CPython in a <see cref="LambdaLayout"/>, as the Lambda runtime would
/// (-I -S, sys.path and LD_LIBRARY_PATH as on Lambda), and records what it touches: an audit hook on "open" and
/// "import", the modules loaded at exit, and /proc/self/maps. Nothing leaves the machine: the AWS SDKs' endpoint
/// and the HTTP proxies point at a closed port on 127.0.0.1 (unless LAMBDASLIM_TRACE_AWS_ENDPOINT_URL names one, such
/// as a moto server), and the credentials are fake.
/// </summary>
public static class HandlerTracer
{
    /// <summary>Where the AWS SDKs send a traced handler's calls instead (a moto server, say); by default a closed local port.</summary>
    public const string EndpointVariable = "LAMBDASLIM_TRACE_AWS_ENDPOINT_URL";

    private const string Script = """
        import json, os, sys
        spec = json.loads(sys.argv[1])
        opened = set()
        imported = set()
        def audit(event, args):
            if event == "open":
                path = args[0]
                if isinstance(path, (str, bytes)):
                    try:
                        opened.add(os.path.abspath(os.fsdecode(path)))
                    except Exception:
                        pass
            elif event == "import":
                imported.add(args[0])
        sys.addaudithook(audit)
        sys.path[:0] = spec["paths"]
        import importlib, traceback
        class Context:
            function_name = spec["function"]
            function_version = "$LATEST"
            invoked_function_arn = "arn:aws:lambda:%s:123456789012:function:%s" % (os.environ.get("AWS_REGION", "us-east-1"), spec["function"])
            memory_limit_in_mb = 1024
            aws_request_id = "00000000-0000-0000-0000-000000000000"
            log_group_name = "/aws/lambda/" + spec["function"]
            log_stream_name = "lambdaslim-trace"
            def get_remaining_time_in_millis(self):
                return 300000
        with open(spec["event"], encoding="utf-8") as f:
            event = json.load(f)
        record = {"output": None, "error": None}
        try:
            handler = getattr(importlib.import_module(spec["module"]), spec["handler"])
            record["output"] = json.dumps(handler(event, Context()), sort_keys=True, default=str)
        except BaseException as e:
            traceback.print_exc()
            record["error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        files = set(opened)
        for m in list(sys.modules.values()):
            f = getattr(m, "__file__", None)
            if isinstance(f, str):
                files.add(os.path.abspath(f))
        try:
            with open("/proc/self/maps") as maps:
                for line in maps:
                    parts = line.split(None, 5)
                    if len(parts) == 6 and parts[5].startswith("/"):
                        files.add(parts[5].strip().removesuffix(" (deleted)"))
        except OSError:
            pass
        record["files"] = sorted(files)
        record["modules"] = sorted(imported | set(sys.modules))
        with open(spec["record"], "w", encoding="utf-8") as f:
            json.dump(record, f)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
        """;

    /// <param name="eventLabel">How reports name the event (its path relative to the project).</param>
    public static async Task<TraceRun> RunAsync(
        string python, string pythonVersion, LambdaLayout layout, string handlerModule, string handlerFunction, string eventFile, string eventLabel,
        string recordFile, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? variables = null)
    {
        File.Delete(recordFile);
        var spec = JsonSerializer.Serialize(new
        {
            paths = layout.SysPath(pythonVersion), module = handlerModule, handler = handlerFunction, function = LambdaLayout.FunctionName,
            @event = Path.GetFullPath(eventFile), record = Path.GetFullPath(recordFile),
        });
        var result = await ProcessRunner.RunAsync(python, ["-I", "-S", "-B", "-c", Script, spec], environment: Environment(layout, python, variables),
            workingDirectory: layout.Task, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!File.Exists(recordFile))
            return new TraceRun(eventLabel, null, $"the interpreter exited ({result.ExitCode}) before the handler returned: {LastLine(result.StdErr)}", result.StdErr, [], []);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(recordFile, cancellationToken).ConfigureAwait(false));
        var root = doc.RootElement;
        return new TraceRun(eventLabel, root.GetProperty("output").GetString(), root.GetProperty("error").GetString(), result.StdErr,
            root.GetProperty("files").EnumerateArray().Select(e => e.GetString()!).ToList(),
            root.GetProperty("modules").EnumerateArray().Select(e => e.GetString()!).ToList());
    }

    private static string LastLine(string text) => text.Trim().Split('\n')[^1];

    /// <summary>The layout's environment, with AWS and HTTP pointed at a closed local port (or the endpoint the user named) and fake credentials.</summary>
    private static Dictionary<string, string?> Environment(LambdaLayout layout, string python, IReadOnlyDictionary<string, string>? variables)
    {
        var environment = new Dictionary<string, string?>(layout.Environment(python, variables), StringComparer.Ordinal);
        var closed = $"http://127.0.0.1:{ClosedPort.Value}";
        var endpoint = System.Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } e ? e : closed;
        environment["AWS_ENDPOINT_URL"] = endpoint;
        environment["AWS_ACCESS_KEY_ID"] = "testing";
        environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        environment["AWS_SESSION_TOKEN"] = "testing";
        environment["AWS_PROFILE"] = null;
        environment["AWS_CONFIG_FILE"] = "/dev/null";
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        environment["AWS_EC2_METADATA_DISABLED"] = "true";
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = null;
        environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = null;
        foreach (var proxy in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy" }) environment[proxy] = closed;
        environment["NO_PROXY"] = endpoint == closed ? "" : new Uri(endpoint).Host;
        environment["no_proxy"] = environment["NO_PROXY"];
        return environment;
    }

    /// <summary>A port on 127.0.0.1 nothing listens on: bound once to get it, then closed.</summary>
    private static readonly Lazy<int> ClosedPort = new(() =>
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    });
}
