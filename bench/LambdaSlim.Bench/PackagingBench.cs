// Packaging benchmark (see the class comment): lambdaslim's layer packaging against `zip -r -6` of the same installed tree, and
// against the floor (.NET's DeflateStream on all cores over the same bytes already in memory, no I/O).
// Prints ratios against baselines measured in the same run, because these machines are noisy.
using System.Diagnostics;
using System.IO.Compression;
using LambdaSlim;
using LambdaSlim.Pipeline;
using LambdaSlim.Model;

namespace LambdaSlim.Bench;

/// <summary>
/// Packaging: lambdaslim's layer packaging against `zip -r -6` of the same installed tree, and against the floor
/// (.NET's DeflateStream on all cores over the same bytes already in memory, no I/O). Pruning and bytecode are
/// off here: this measures the packaging stages on the unpruned tree, as the target is stated.
/// </summary>
public static class PackagingBench
{
    public static async Task RunAsync(string wheelhouse, BenchTree tree, int runs)
    {
var project = BenchProject.Layer(tree, "{prune: none, bytecode: none}", "packaging");
// Packaging only: no import verification, and no size limits (the unpruned tree is over them, on purpose).
BuildRequest Request(LambdaSlim.Package.ZipCompression c)
{
    var request = BenchProject.Request(project, wheelhouse, AuditMode.Warn, verify: false);
    return request with { SkipValidation = true, Settings = request.Settings with { Compression = c } };
}

Console.Error.WriteLine($"installing {tree.Description} from the wheelhouse (not timed) ...");
await BenchProject.BuildAsync(Request(LambdaSlim.Package.ZipCompression.Optimal));
var site = new BuildPaths(project).LayerInstall(tree.LayerId);
var files = Directory.EnumerateFiles(site, "*", SearchOption.AllDirectories).ToList();
var treeBytes = files.Sum(f => new FileInfo(f).Length);
Console.WriteLine($"tree: {files.Count} files, {treeBytes / 1e6:0.0} MB ({tree.Description}), {Environment.ProcessorCount} cores");

double Median(List<double> xs) { xs.Sort(); return xs[xs.Count / 2]; }

(double Seconds, long Bytes) Lambdaslim(LambdaSlim.Package.ZipCompression c)
{
    var times = new List<double>();
    long size = 0;
    for (var i = 0; i < runs; i++)
    {
        var sw = Stopwatch.StartNew();
        var result = BenchProject.BuildAsync(Request(c)).GetAwaiter().GetResult();
        times.Add(sw.Elapsed.TotalSeconds);
        size = result.Report.Layers[0].ZippedBytes;
    }
    return (Median(times), size);
}

(double Seconds, long Bytes) ZipCli()
{
    var times = new List<double>();
    long size = 0;
    var output = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", "zip-r-6.zip");
    for (var i = 0; i < runs; i++)
    {
        File.Delete(output);
        var psi = new ProcessStartInfo("zip") { WorkingDirectory = site, RedirectStandardOutput = true };
        foreach (var a in new[] { "-r", "-6", "-q", "-X", output, "." }) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new BenchFailedException($"zip -r -6 of {site} exited {p.ExitCode}");
        times.Add(sw.Elapsed.TotalSeconds);
        size = new FileInfo(output).Length;
    }
    return (Median(times), size);
}

var contents = files.Select(File.ReadAllBytes).ToList();
(double Seconds, long Bytes) Floor(CompressionLevel level, int cores)
{
    var times = new List<double>();
    long size = 0;
    for (var i = 0; i < runs; i++)
    {
        long total = 0;
        var sw = Stopwatch.StartNew();
        Parallel.ForEach(contents, new ParallelOptions { MaxDegreeOfParallelism = cores }, bytes =>
        {
            var ms = new MemoryStream();
            using (var d = new DeflateStream(ms, level, leaveOpen: true)) d.Write(bytes);
            Interlocked.Add(ref total, Math.Min(ms.Length, bytes.Length));
        });
        times.Add(sw.Elapsed.TotalSeconds);
        size = total;
    }
    return (Median(times), size);
}

var zip = ZipCli();
var floor = Floor(CompressionLevel.Optimal, Environment.ProcessorCount);
var floor1 = Floor(CompressionLevel.Optimal, 1);
var floorSmallest = Floor(CompressionLevel.SmallestSize, Environment.ProcessorCount);
var ours = Lambdaslim(LambdaSlim.Package.ZipCompression.Optimal);
var oursSmallest = Lambdaslim(LambdaSlim.Package.ZipCompression.Smallest);

string Row(string name, (double Seconds, long Bytes) r) => $"{name,-44} {r.Seconds,7:0.00} s  {r.Bytes / 1e6,7:0.0} MB";
Console.WriteLine($"median of {runs} runs each");
Console.WriteLine(Row("zip -r -6 (baseline)", zip));
Console.WriteLine(Row($"floor: DeflateStream Optimal, {Environment.ProcessorCount} cores, in memory", floor));
Console.WriteLine(Row("floor: DeflateStream Optimal, 1 core, in memory", floor1));
Console.WriteLine(Row($"floor: DeflateStream SmallestSize, {Environment.ProcessorCount} cores", floorSmallest));
Console.WriteLine(Row("lambdaslim layers build (cached install)", ours));
Console.WriteLine(Row("lambdaslim --compression smallest", oursSmallest));
Console.WriteLine();
var vsZip = ours.Seconds / zip.Seconds;
var vsFloor = ours.Seconds / floor.Seconds;
Console.WriteLine($"time vs zip -r -6:   {vsZip:0.00}x   (target <= 0.30x)  {(vsZip <= 0.30 ? "met" : "MISSED")}");
Console.WriteLine($"size vs zip -r -6:   {(double)ours.Bytes / zip.Bytes:0.000}x (target <= 1.000x) {(ours.Bytes <= zip.Bytes ? "met" : "MISSED")}");
Console.WriteLine($"time vs floor:       {vsFloor:0.00}x   (target <= 1.30x)  {(vsFloor <= 1.30 ? "met" : "MISSED")}");
Console.WriteLine($"smallest vs optimal: {(double)oursSmallest.Bytes / ours.Bytes:0.000}x size, {oursSmallest.Seconds / ours.Seconds:0.00}x time");
    }
}
