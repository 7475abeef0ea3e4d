using LambdaSlim.Pipeline;
using LambdaSlim.Install;
using LambdaSlim.Prune;
using LambdaSlim.Verify;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Bench;

/// <summary>Pruning on real trees: sizes against a naive deletion baseline from the same run, with every import proven.</summary>
public static class PruneBench
{
    /// <summary>Safe pruning of the tree's layer, with every import verified, against deleting the usual suspects unchecked.</summary>
    public static async Task LayerAsync(string wheelhouse, BenchTree tree)
    {
        var project = BenchProject.Layer(tree, "{prune: safe, bytecode: none}", "prune-safe");
        var result = await BenchProject.BuildAsync(BenchProject.Request(project, wheelhouse, AuditMode.Warn, verify: true));
        var layer = result.Report.Layers.Single();
        var broken = result.Findings.Count(f => f.Severity == Severity.Error);

        // The naive baseline: delete tests, __pycache__, *.pyi and *.c from a copy of the same install, no checks.
        var site = new BuildPaths(project).LayerInstall(tree.LayerId);
        var naive = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", "naive");
        if (Directory.Exists(naive)) Directory.Delete(naive, true);
        BenchProject.Run("cp", ["-r", site, naive]);
        BenchProject.Run("sh", ["-c", "find . -type d \\( -name tests -o -name test -o -name __pycache__ \\) -prune -exec rm -rf {} + ; find . \\( -name '*.pyi' -o -name '*.c' \\) -delete; rm -f .lambdaslim-install .lambdaslim-requirements"], naive);
        var naiveBytes = Directory.EnumerateFiles(naive, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var naiveZip = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", "naive.zip");
        File.Delete(naiveZip);
        BenchProject.Run("zip", ["-r", "-6", "-q", "-X", naiveZip, "."], naive);
        var naiveZipped = new FileInfo(naiveZip).Length;

        var withBytecode = BenchProject.Layer(tree, "{prune: safe, bytecode: compile}", "prune-safe-bytecode");
        var compiled = (await BenchProject.BuildAsync(BenchProject.Request(withBytecode, wheelhouse, AuditMode.Warn, verify: false))).Report.Layers.Single();

        Console.WriteLine($"installed (unpruned)                 {layer.UnprunedBytes / 1e6,7:0.0} MB");
        Console.WriteLine($"naive: tests, __pycache__, pyi, .c   {naiveBytes / 1e6,7:0.0} MB unzipped  {naiveZipped / 1e6,6:0.0} MB zip -r -6   (no import check)");
        Console.WriteLine($"lambdaslim safe prune                {layer.UnzippedBytes / 1e6,7:0.0} MB unzipped  {layer.ZippedBytes / 1e6,6:0.0} MB zipped      import verification: {(broken == 0 && !result.Failed ? "every import that worked still works" : $"{broken} BROKEN")}");
        Console.WriteLine($"  + bytecode for python3.11          {compiled.UnzippedBytes / 1e6,7:0.0} MB unzipped  {compiled.ZippedBytes / 1e6,6:0.0} MB zipped      (what ships by default)");
        foreach (var r in layer.Prune!.ByRule.Take(8)) Console.WriteLine($"  rule {r.Rule,-28} {r.Files,6} files {r.Bytes / 1e6,7:0.0} MB");
        Console.WriteLine($"unzipped vs naive: {(double)layer.UnzippedBytes / naiveBytes:0.000}x  (target <= 1.0x, <= 110 MB)  {(layer.UnzippedBytes <= naiveBytes && layer.UnzippedBytes <= 110_000_000 ? "met" : "MISSED")}");
        Console.WriteLine($"zipped vs naive:   {(double)layer.ZippedBytes / naiveZipped:0.000}x  (target <= 1.0x, <= 38 MB)   {(layer.ZippedBytes <= naiveZipped && layer.ZippedBytes <= 38_000_000 ? "met" : "MISSED")}");
    }

    /// <summary>Safe pruning of a real site-packages, every top-level import checked; in quick mode the quick tree's install stands in for it.</summary>
    public static async Task SitePackagesAsync(string wheelhouse, BenchTree? quick)
    {
        var site = quick is null
            ? BenchProject.Run("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).Output.Trim()
            : await InstalledAsync(wheelhouse, quick);
        var contents = new ArtifactContents("python/");
        contents.AddInstall(site, DistributionScanner.Scan(site), new HashSet<string>(), PipInstaller.BookkeepingFiles);
        var work = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", "site-packages");
        var outcome = Pruner.Apply(contents, PruneSettings.Default, PruneRulePack.All, "site-packages", Path.Combine(work, "stripped"), new RecordingObserver());
        var unit = new VerificationUnit("site-packages", PythonRuntimes.Parse("python3.11", "bench"),
            [new VerifiedArtifact("layer site-packages", contents, outcome.After, outcome.Plan.Removed)], null, null);
        var verified = await ImportVerifier.VerifyAsync(unit, work, CancellationToken.None);
        Console.WriteLine($"site-packages: {contents.Count} files, {contents.UnzippedBytes / 1e6:0.0} MB → safe prune {outcome.After.Count} files, {outcome.After.UnzippedBytes / 1e6:0.0} MB (target <= 200 MB: {(outcome.After.UnzippedBytes <= 200_000_000 ? "met" : "MISSED")})");
        foreach (var r in outcome.Report.ByRule.Take(6)) Console.WriteLine($"  rule {r.Rule,-28} {r.Files,6} files {r.Bytes / 1e6,7:0.0} MB");
        Console.WriteLine($"  strip: {outcome.Report.Strip.Files} shared objects, {outcome.Report.Strip.BytesSaved / 1e6:0.0} MB ({outcome.Report.Strip.Tool})");
        Console.WriteLine($"imports: {verified.ModulesChecked} top-level modules; {verified.PreExisting.Count} already failed before pruning; {verified.Broken.Count} broken by pruning {(verified.Broken.Count == 0 ? "(met)" : "(MISSED)")}");
        foreach (var b in verified.Broken) Console.WriteLine("  " + b.Describe());
    }

    /// <summary>botocore-services: botocore with three services against all of them, and the three still construct clients.</summary>
    public static async Task BotocoreAsync(string wheelhouse)
    {
        // Imports are verified where botocore was pruned; the client check below runs on that build too.
        async Task<(long Botocore, string Zip)> Build(string name, string metadata, bool verify)
        {
            var project = BenchProject.OneLayer(name, "Aws", "boto3\n", metadata);
            var r = await BenchProject.BuildAsync(BenchProject.Request(project, wheelhouse, AuditMode.Warn, verify));
            return (r.Report.Layers[0].Distributions.Single(d => d.Name == "botocore").UnzippedBytes, Path.Combine(project, ".lambdaslim", "build", "layers", "Aws.zip"));
        }
        var all = await Build("botocore-all", "{bytecode: none}", verify: false);
        var some = await Build("botocore-some", "{bytecode: none, botocore-services: [s3, dynamodb, cloudwatch]}", verify: true);
        var opt = Path.Combine(Path.GetTempPath(), "lambdaslim-bench", "botocore-opt");
        if (Directory.Exists(opt)) Directory.Delete(opt, true);
        System.IO.Compression.ZipFile.ExtractToDirectory(some.Zip, opt);
        var check = BenchProject.Run("python3", ["-I", "-S", "-B", "-c", $$"""
            import sys; sys.path.insert(0, {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(opt, "python"))}})
            import boto3, botocore.exceptions
            for s in ["s3", "dynamodb", "cloudwatch"]:
                boto3.client(s, region_name="us-east-1"); print(s, "constructs")
            try:
                boto3.client("ec2", region_name="us-east-1"); print("ec2 constructs (not pruned?)")
            except botocore.exceptions.UnknownServiceError:
                print("ec2 is gone, as asked")
            """]);
        Console.WriteLine($"botocore: {all.Botocore / 1e6:0.0} MB → {some.Botocore / 1e6:0.0} MB ({(double)some.Botocore / all.Botocore:0.00}x)");
        Console.WriteLine(string.Join("; ", check.Output.Trim().Split('\n')));
    }

    /// <summary>The tree installed as a layer with nothing pruned or compiled; returns its install folder.</summary>
    private static async Task<string> InstalledAsync(string wheelhouse, BenchTree tree)
    {
        var project = BenchProject.Layer(tree, "{prune: none, bytecode: none}", "site-packages-quick");
        await BenchProject.BuildAsync(BenchProject.Request(project, wheelhouse, AuditMode.Warn, verify: false));
        return new BuildPaths(project).LayerInstall(tree.LayerId);
    }
}
