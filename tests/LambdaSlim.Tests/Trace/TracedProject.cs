using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using LambdaSlim.Install;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Tests.Trace;

/// <summary>
/// A real project for prune: traced: a layer with a synthetic package (a wheel made here) that has a submodule it
/// imports only when asked (synthpkg.lazy), a data file it opens only when asked (synthpkg/data/table.txt), and a
/// module nothing imports (synthpkg/unused.py); and functions whose handlers use it as their events say.
/// </summary>
public static class TracedProject
{
    public const string Init = """
        import importlib, os
        def lazy(x):
            return importlib.import_module("synthpkg.lazy").double(x)
        def table():
            with open(os.path.join(os.path.dirname(__file__), "data", "table.txt"), encoding="utf-8") as f:
                return f.read().strip()
        """;

    /// <summary>Calls what the event asks for: {"lazy": true} imports synthpkg.lazy, {"table": true} opens the data file.</summary>
    public const string Handler = """
        import synthpkg
        def handler(event, context):
            out = {"ok": True}
            if event.get("lazy"):
                out["lazy"] = synthpkg.lazy(21)
            if event.get("table"):
                out["table"] = synthpkg.table()
            return out
        """;

    public const string LayerSite = "python/";

    /// <param name="functions">Each function's logical id, handler code, and its Metadata: LambdaSlim (flow YAML).</param>
    /// <param name="events">Event files (relative path → JSON).</param>
    public static string Create(string layerMetadata, IReadOnlyList<(string Id, string Code, string Metadata)> functions, IReadOnlyDictionary<string, string> events)
    {
        var dir = TestEnvironment.NewTempDir("traced");
        Directory.CreateDirectory(Path.Combine(dir, "layer"));
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "synthpkg\n");
        WriteWheel(Path.Combine(dir, "wheels"));
        foreach (var (path, json) in events)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllText(Path.Combine(dir, path), json);
        }
        var resources = new StringBuilder($$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Synth:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.11]}
                Metadata: {BuildMethod: python3.11, LambdaSlim: {{layerMetadata}}}

            """);
        foreach (var (id, code, metadata) in functions)
        {
            Directory.CreateDirectory(Path.Combine(dir, id));
            File.WriteAllText(Path.Combine(dir, id, "app.py"), code);
            resources.Append($$"""
                  {{id}}:
                    Type: AWS::Serverless::Function
                    Properties: {CodeUri: {{id}}/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Synth]}
                    Metadata: {LambdaSlim: {{metadata}}}

                """);
        }
        File.WriteAllText(Path.Combine(dir, "template.yaml"), resources.ToString());
        return dir;
    }

    /// <summary>pip offline: the wheelhouse and this project's own wheel.</summary>
    public static BuildSettings Settings(string dir) => new()
    {
        Pip = new PipOptions { NoIndex = true, FindLinks = [Path.Combine(dir, "wheels"), TestEnvironment.Wheelhouse], ExtraPlatforms = ["linux_x86_64"] },
    };

    /// <summary>The paths in a built zip.</summary>
    public static IReadOnlyList<string> ZipPaths(string dir, string zip)
    {
        using var archive = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", zip));
        return archive.Entries.Select(e => e.FullName).ToList();
    }

    private static void WriteWheel(string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new Dictionary<string, string>
        {
            ["synthpkg/__init__.py"] = Init,
            ["synthpkg/lazy.py"] = "def double(x):\n    return 2 * x\n",
            ["synthpkg/unused.py"] = "VALUE = 1\n",
            ["synthpkg/data/table.txt"] = "forty-two\n",
            ["synthpkg-1.0.dist-info/METADATA"] = "Metadata-Version: 2.1\nName: synthpkg\nVersion: 1.0\n",
            ["synthpkg-1.0.dist-info/WHEEL"] = "Wheel-Version: 1.0\nGenerator: lambdaslim-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            ["synthpkg-1.0.dist-info/top_level.txt"] = "synthpkg\n",
        };
        var record = new StringBuilder();
        foreach (var (path, text) in files)
            record.Append($"{path},sha256={Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text))).TrimEnd('=').Replace('+', '-').Replace('/', '_')},{Encoding.UTF8.GetByteCount(text)}\n");
        record.Append("synthpkg-1.0.dist-info/RECORD,,\n");
        files["synthpkg-1.0.dist-info/RECORD"] = record.ToString();
        using var zip = ZipFile.Open(Path.Combine(folder, "synthpkg-1.0-py3-none-any.whl"), ZipArchiveMode.Create);
        foreach (var (path, text) in files)
        {
            using var writer = new StreamWriter(zip.CreateEntry(path).Open());
            writer.Write(text);
        }
    }
}
