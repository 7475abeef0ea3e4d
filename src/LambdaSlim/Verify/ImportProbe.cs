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
    // Then the handler is looked up as Lambda's bootstrap does: import the module, getattr the function, and it must be callable.
    private const string Script = """
        import importlib, json, sys
        spec = json.loads(sys.argv[1])
        sys.path[:0] = spec["paths"]
        def describe(e):
            return "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        results = {}
        for name in spec["modules"]:
            try:
                importlib.import_module(name)
                results[name] = None
            except BaseException as e:
                results[name] = describe(e)
        handler = None
        if spec.get("handler"):
            module, attr = spec["handler"]
            try:
                function = getattr(importlib.import_module(module), attr)
                if not callable(function):
                    handler = "TypeError: %s.%s is a %s, not a function" % (module, attr, type(function).__name__)
            except BaseException as e:
                handler = describe(e)
        results["__handler__"] = handler
        sys.stdout.write("LAMBDASLIM-IMPORTS " + json.dumps(results) + "\n")
        sys.stdout.flush()
        import os
        os._exit(0)
        """;

    /// <summary>
    /// Module → null when it imported, else "ExceptionType: message"; and for a handler ("module", "function"),
    /// null when Lambda could call it, else why not.
    /// </summary>
    public static async Task<ProbeResult> RunAsync(
        string python, string pythonVersion, LambdaLayout layout, IReadOnlyList<string> modules, CancellationToken cancellationToken,
        (string Module, string Function)? handler = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        var results = await RunOnceAsync(python, pythonVersion, layout, modules, handler, variables, cancellationToken).ConfigureAwait(false);
        if (results is not null) return results;
        // The process died (a segfault in an extension, say): fall back to one process per module to find which.
        const string Crashed = "crashed: the interpreter died while importing it";
        var one = new Dictionary<string, string?>();
        foreach (var m in modules)
            one[m] = (await RunOnceAsync(python, pythonVersion, layout, [m], null, variables, cancellationToken).ConfigureAwait(false))?.Imports[m] ?? Crashed;
        var handlerError = handler is null ? null
            : (await RunOnceAsync(python, pythonVersion, layout, [], handler, variables, cancellationToken).ConfigureAwait(false)) is { } h ? h.HandlerError : Crashed;
        return new ProbeResult(one, handlerError, 1 + modules.Count + (handler is null ? 0 : 1));
    }

    private static async Task<ProbeResult?> RunOnceAsync(
        string python, string pythonVersion, LambdaLayout layout, IReadOnlyList<string> modules, (string Module, string Function)? handler,
        IReadOnlyDictionary<string, string>? variables, CancellationToken cancellationToken)
    {
        var spec = JsonSerializer.Serialize(new { paths = layout.SysPath(pythonVersion), modules, handler = handler is { } h ? new[] { h.Module, h.Function } : null });
        var result = await ProcessRunner.RunAsync(python, ["-I", "-S", "-B", "-c", Script, spec], environment: layout.Environment(python, variables),
            workingDirectory: layout.Task, cancellationToken: cancellationToken).ConfigureAwait(false);
        var line = result.StdOut.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (line is null) return null;
        var results = JsonSerializer.Deserialize<Dictionary<string, string?>>(line[Marker.Length..])!;
        var handlerError = results.GetValueOrDefault(HandlerKey);
        results.Remove(HandlerKey);
        return new ProbeResult(results, handlerError);
    }

    private const string HandlerKey = "__handler__";
}
