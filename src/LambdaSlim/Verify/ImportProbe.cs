using System.Text.Json;
using LambdaSlim.IO;

namespace LambdaSlim.Verify;

/// <summary>
/// Imports modules with a real CPython inside a <see cref="LambdaLayout"/>, the way the Lambda runtime would:
/// isolated from the build machine's site-packages (-I -S), sys.path and LD_LIBRARY_PATH as on Lambda.
/// </summary>
public static class ImportProbe
{
    private const string Marker = "LAMBDASLIM-IMPORTS ";

    // Each module is imported in the same process, one after another; a failure is recorded and the next one goes on.
    private const string Script = """
        import importlib, json, sys
        spec = json.loads(sys.argv[1])
        sys.path[:0] = spec["paths"]
        results = {}
        for name in spec["modules"]:
            try:
                importlib.import_module(name)
                results[name] = None
            except BaseException as e:
                results[name] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        sys.stdout.write("LAMBDASLIM-IMPORTS " + json.dumps(results) + "\n")
        sys.stdout.flush()
        import os
        os._exit(0)
        """;

    /// <summary>Module → null when it imported, else "ExceptionType: message".</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> RunAsync(
        string python, string pythonVersion, LambdaLayout layout, IReadOnlyList<string> modules, CancellationToken cancellationToken)
    {
        var results = await RunOnceAsync(python, pythonVersion, layout, modules, cancellationToken).ConfigureAwait(false);
        if (results is not null) return results;
        // The process died (a segfault in an extension, say): fall back to one process per module to find which.
        var one = new Dictionary<string, string?>();
        foreach (var m in modules)
            one[m] = (await RunOnceAsync(python, pythonVersion, layout, [m], cancellationToken).ConfigureAwait(false))?[m] ?? "crashed: the interpreter died while importing it";
        return one;
    }

    private static async Task<IReadOnlyDictionary<string, string?>?> RunOnceAsync(
        string python, string pythonVersion, LambdaLayout layout, IReadOnlyList<string> modules, CancellationToken cancellationToken)
    {
        var spec = JsonSerializer.Serialize(new { paths = layout.SysPath(pythonVersion), modules });
        var env = new Dictionary<string, string?>
        {
            ["LD_LIBRARY_PATH"] = layout.LibraryPath(python),
            ["LAMBDA_TASK_ROOT"] = layout.Task,
            ["AWS_REGION"] = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
            ["AWS_DEFAULT_REGION"] = Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1",
            ["AWS_LAMBDA_FUNCTION_NAME"] = "lambdaslim-verify",
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["PYTHONPATH"] = null,
            ["PYTHONHOME"] = null,
        };
        var result = await ProcessRunner.RunAsync(python, ["-I", "-S", "-B", "-c", Script, spec], environment: env,
            workingDirectory: layout.Task, cancellationToken: cancellationToken).ConfigureAwait(false);
        var line = result.StdOut.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        return line is null ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(line[Marker.Length..]);
    }
}
