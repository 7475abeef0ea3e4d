using System.Diagnostics;
using System.IO.Compression;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Bench;

/// <summary>
/// Cold-start imports of the tree's modules (pandas, numpy and sklearn of the data-science layer): as LambdaSlim ships it (unchecked-hash
/// .pyc), against the same tree with a freshly compiled local __pycache__, and with no bytecode at all.
/// </summary>
public static class BytecodeBench
{
    public static async Task RunAsync(string wheelhouse, BenchTree tree, int runs)
    {
        // Safe pruning as shipped by default; imports are not verified here, the timed imports below show they work.
        var compileProject = BenchProject.Layer(tree, "{prune: safe, bytecode: compile}", "bytecode-compile");
        var sourcelessProject = BenchProject.Layer(tree, "{prune: safe, bytecode: sourceless}", "bytecode-sourceless");
        var compiled = (await BenchProject.BuildAsync(BenchProject.Request(compileProject, wheelhouse, AuditMode.Warn, verify: false))).Report.Layers.Single();
        var sourceless = (await BenchProject.BuildAsync(BenchProject.Request(sourcelessProject, wheelhouse, AuditMode.Warn, verify: false))).Report.Layers.Single();

        var root = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", "bytecode-trees");
        if (Directory.Exists(root)) Directory.Delete(root, true);
        var zip = Path.Combine(compileProject, ".lambdaslim", "build", compiled.Zip);
        var shipped = Extract(zip, Path.Combine(root, "shipped"), skipPyc: false);
        var source = Extract(zip, Path.Combine(root, "source"), skipPyc: true);
        var local = Extract(zip, Path.Combine(root, "local"), skipPyc: true);
        // The build machine's own, timestamp-based __pycache__; a file that does not compile (a py2 leftover) is no failure.
        BenchProject.Run("python3", ["-m", "compileall", "-q", local], check: false);

        double Time(string dir)
        {
            var sw = Stopwatch.StartNew();
            BenchProject.Run("python3", ["-I", "-S", "-B", "-c", $"import sys; sys.path.insert(0, {System.Text.Json.JsonSerializer.Serialize(dir)}); import {tree.Imports}"]);
            return sw.Elapsed.TotalSeconds;
        }
        var (a, b, c) = (new List<double>(), new List<double>(), new List<double>());
        Time(shipped); Time(local); // warm the page cache for both
        for (var i = 0; i < runs; i++) { a.Add(Time(shipped)); b.Add(Time(local)); c.Add(Time(source)); }
        var (ma, mb, mc) = (BenchProject.Median(a), BenchProject.Median(b), BenchProject.Median(c));
        Console.WriteLine($"median of {runs} fresh interpreters each");
        Console.WriteLine($"lambdaslim layer (unchecked-hash .pyc)     {ma:0.00} s   {compiled.UnzippedBytes / 1e6,6:0.0} MB unzipped  {compiled.ZippedBytes / 1e6,5:0.0} MB zipped");
        Console.WriteLine($"same tree, fresh local __pycache__         {mb:0.00} s");
        Console.WriteLine($"same tree, no bytecode                     {mc:0.00} s");
        Console.WriteLine($"sourceless layer                                   {sourceless.UnzippedBytes / 1e6,6:0.0} MB unzipped  {sourceless.ZippedBytes / 1e6,5:0.0} MB zipped");
        Console.WriteLine($"shipped vs local __pycache__: {ma / mb:0.00}x (target <= 1.10x) {(ma / mb <= 1.10 ? "met" : "MISSED")}");
        Console.WriteLine($"no bytecode vs shipped:       {mc / ma:0.00}x (target >= 2.5x)  {(mc / ma >= 2.5 ? "met" : "MISSED")}");
        Console.WriteLine($"sourceless vs compile zipped: {(double)sourceless.ZippedBytes / compiled.ZippedBytes:0.000}x (target <= 1.0x) {(sourceless.ZippedBytes <= compiled.ZippedBytes ? "met" : "MISSED")}");
    }

    private static string Extract(string zip, string dir, bool skipPyc)
    {
        using var archive = ZipFile.OpenRead(zip);
        foreach (var e in archive.Entries.Where(e => !skipPyc || !e.FullName.EndsWith(".pyc", StringComparison.Ordinal)))
        {
            var target = Path.Combine(dir, e.FullName);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            e.ExtractToFile(target);
        }
        return Path.Combine(dir, "python");
    }
}
