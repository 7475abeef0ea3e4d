using System.Text.Json;
using LambdaSlim.IO;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Plan;

/// <summary>
/// Reads what the user's code imports with the runtime's own CPython `ast` (every import statement, nested ones
/// included, since a function that imports boto3 lazily still needs it), without running the code.
/// </summary>
public static class ImportScanner
{
    private const string Marker = "LAMBDASLIM-SCAN ";

    // importlib.import_module("x") and __import__("x") with a literal count as imports; with anything else the
    // import is decided at run time and the folder is unresolved.
    private const string Script = """
        import ast, json, os, sys
        stdlib = set(getattr(sys, "stdlib_module_names", ())) | set(sys.builtin_module_names) | {"__future__"}
        out = []
        for root in json.loads(sys.argv[1]):
            names, dynamic, errors, local = set(), [], [], set()
            for entry in os.listdir(root) if os.path.isdir(root) else []:
                if entry.endswith(".py"): local.add(entry[:-3])
                elif os.path.isdir(os.path.join(root, entry)): local.add(entry)
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules") and not d.endswith(".dist-info"))
                for f in sorted(files):
                    if not f.endswith(".py"): continue
                    path = os.path.join(folder, f)
                    rel = os.path.relpath(path, root)
                    try:
                        with open(path, "rb") as h: tree = ast.parse(h.read(), path)
                    except (SyntaxError, ValueError) as e:
                        errors.append("%s: %s" % (rel, e)); continue
                    for node in ast.walk(tree):
                        if isinstance(node, ast.Import):
                            names.update(a.name.split(".")[0] for a in node.names)
                        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                            names.add(node.module.split(".")[0])
                        elif isinstance(node, ast.Call):
                            fn = node.func
                            called = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else None
                            if called in ("import_module", "__import__") and node.args:
                                arg = node.args[0]
                                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                                    if not arg.value.startswith("."): names.add(arg.value.split(".")[0])
                                else:
                                    dynamic.append("%s:%d" % (rel, node.lineno))
            out.append({"folder": root, "imports": sorted(n for n in names if n not in stdlib and n not in local),
                        "dynamic": dynamic, "errors": errors})
        sys.stdout.write("LAMBDASLIM-SCAN " + json.dumps(out) + "\n")
        """;

    /// <summary>Scans each folder; without a CPython the scans are unresolved, with the reason.</summary>
    public static async Task<IReadOnlyList<ImportScan>> ScanAsync(PythonRuntime runtime, IReadOnlyList<string> folders, CancellationToken cancellationToken)
    {
        if (folders.Count == 0) return [];
        var python = PythonFinder.Find(runtime);
        if (python is null)
            return folders.Select(f => new ImportScan(f, [], [], [$"no CPython {runtime.Version} to read the imports with ({PythonFinder.InstallHint(runtime)})"])).ToList();
        var result = await ProcessRunner.RunAsync(python, ["-I", "-S", "-c", Script, JsonSerializer.Serialize(folders)], cancellationToken: cancellationToken).ConfigureAwait(false);
        var line = result.StdOut.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (result.ExitCode != 0 || line is null)
            return folders.Select(f => new ImportScan(f, [], [], [$"{python} could not read the imports: {result.StdErr.Trim().Split('\n').LastOrDefault()}"])).ToList();
        using var json = JsonDocument.Parse(line[Marker.Length..]);
        return json.RootElement.EnumerateArray().Select(e => new ImportScan(
            e.GetProperty("folder").GetString()!,
            Strings(e.GetProperty("imports")), Strings(e.GetProperty("dynamic")), Strings(e.GetProperty("errors")))).ToList();
    }

    private static List<string> Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToList();
}
