using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using LambdaSlim.Report;
using LambdaSlim.Tests.Pipeline;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Report;

/// <summary>
/// The HTML size report of the real example build, opened in real headless Chromium: the treemap exists only after
/// the page's script ran, so the assertions read the DOM Chromium dumps, not the HTML we wrote.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ExampleBuildCollection.Name)]
public class HtmlReportTests(ExampleBuildFixture example)
{
    private string RenderToFile()
    {
        var html = HtmlReport.Render(example.Result.Report, example.Output(""));
        var file = Path.Combine(TestEnvironment.NewTempDir("html-report"), "report.html");
        File.WriteAllText(file, html);
        return file;
    }

    /// <summary>Every zip's files as (artifact, path on the Python path, bytes): a layer's python/ left out.</summary>
    private List<(ArtifactReport Artifact, string Relative, long Bytes)> Listing()
    {
        var files = new List<(ArtifactReport, string, long)>();
        foreach (var a in example.Result.Report.Layers.Concat(example.Result.Report.Functions))
        {
            using var zip = ZipFile.OpenRead(example.Output(a.Zip));
            foreach (var e in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
            {
                var relative = a.Kind == ArtifactReport.LayerKind && e.FullName.StartsWith("python/") ? e.FullName["python/".Length..] : e.FullName;
                files.Add((a, relative, e.Length));
            }
        }
        return files;
    }

    [Fact]
    public async Task Treemap_drawn_by_the_script_gives_the_largest_package_of_the_largest_artifact_the_biggest_area()
    {
        var listing = Listing();
        var largest = listing.GroupBy(f => f.Artifact.LogicalId).MaxBy(g => g.Sum(f => f.Bytes))!;
        var package = largest
            .Select(f => (Top: f.Relative.Split('/'), f.Bytes))
            .Where(f => f.Top.Length > 1 && f.Top[0] != "__pycache__" && !f.Top[0].EndsWith(".dist-info"))
            .GroupBy(f => f.Top[0]).MaxBy(g => g.Sum(f => f.Bytes))!.Key;
        var packageBytes = largest.Where(f => f.Relative.StartsWith(package + "/")).Sum(f => f.Bytes);

        var rects = TreemapRect.Parse(await HeadlessChromium.DumpDomAsync(RenderToFile()));

        rects.ShouldNotBeEmpty("the page's script drew no treemap rectangles");
        rects.Where(r => !r.Path.Contains('/')).Select(r => r.Path).Order()
            .ShouldBe(listing.Select(f => f.Artifact.LogicalId).Distinct().Order(), "every artifact is a top-level rectangle");
        var artifact = rects.Single(r => r.Path == largest.Key);
        artifact.Bytes.ShouldBe(largest.Sum(f => f.Bytes));
        var siblings = rects.Where(r => r.Path.StartsWith(largest.Key + "/") && r.Path.Count(c => c == '/') == 1).ToList();
        var target = siblings.Single(r => r.Path == $"{largest.Key}/{package}");
        target.Bytes.ShouldBeGreaterThanOrEqualTo(packageBytes, "its dist-info may join it, nothing leaves it");
        siblings.MaxBy(r => r.Area)!.Path.ShouldBe(target.Path, $"{package} is the largest package of {largest.Key}");
        target.Label.ShouldNotBeNull().ShouldStartWith(package + " ");
        target.Width.ShouldBeGreaterThan(100);
        target.Height.ShouldBeGreaterThan(100);
        foreach (var r in siblings)
        {
            (r.Left >= -0.5 && r.Top >= -0.5 && r.Left + r.Width <= artifact.Width + 0.5 && r.Top + r.Height <= artifact.Height + 0.5)
                .ShouldBeTrue($"{r.Path} lies inside {artifact.Path}");
            foreach (var other in siblings.Where(o => string.CompareOrdinal(o.Path, r.Path) > 0))
                r.Overlap(other).ShouldBeLessThan(1.0, $"{r.Path} and {other.Path} do not overlap");
        }
    }

    [Fact]
    public async Task Tables_show_the_25_largest_files_and_the_rule_that_saved_the_most_first()
    {
        var dom = await HeadlessChromium.DumpDomAsync(RenderToFile());

        var largestFiles = Rows(dom, "largest-files", "data-bytes").Select(long.Parse).ToList();
        largestFiles.Count.ShouldBe(25);
        largestFiles[0].ShouldBe(Listing().Max(f => f.Bytes));
        largestFiles.ShouldBeInOrder(SortDirection.Descending);

        var report = example.Result.Report;
        var pruned = report.Layers.Concat(report.Functions).Select(a => a.Prune).OfType<PruneReport>().ToList();
        var byRule = pruned.SelectMany(p => p.ByRule).GroupBy(r => r.Rule).Select(g => (Rule: g.Key, Bytes: g.Sum(r => r.Bytes))).ToList();
        var topRule = byRule.MaxBy(r => r.Bytes);
        topRule.Bytes.ShouldBeGreaterThan(pruned.Sum(p => p.Strip.BytesSaved), "in the example a rule, not stripping, saves the most");
        var rules = Rows(dom, "rules", "data-rule");
        rules[0].ShouldBe(topRule.Rule);
        rules.Count.ShouldBe(byRule.Count + 1, "every rule plus debug-symbol stripping");
        rules.ShouldContain(r => r.StartsWith("strip debug symbols"));
    }

    [Fact]
    public async Task Screenshot_of_the_page_in_headless_chromium_is_a_real_picture()
    {
        var png = Path.Combine(TestEnvironment.NewTempDir("html-shot"), "report.png");

        await HeadlessChromium.RunAsync($"--screenshot={png}", "--window-size=1400,1000", new Uri(RenderToFile()).AbsoluteUri);

        File.Exists(png).ShouldBeTrue();
        var bytes = File.ReadAllBytes(png);
        bytes.Length.ShouldBeGreaterThan(20_000, "a blank page compresses to a few kB");
        bytes[..8].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)).ShouldBe(1400);
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)).ShouldBe(1000);
    }

    [Fact]
    public void Page_is_self_contained_and_the_same_for_the_same_build()
    {
        var html = HtmlReport.Render(example.Result.Report, example.Output(""));

        html.ShouldNotContain("http://");
        html.ShouldNotContain("https://");
        html.ShouldNotContain("<link");
        html.ShouldNotContain(" src=");
        HtmlReport.Render(example.Result.Report, example.Output("")).ShouldBe(html);
    }

    /// <summary>One attribute of each body row of the table with this id, in order.</summary>
    private static List<string> Rows(string dom, string tableId, string attribute)
    {
        var table = Regex.Match(dom, $"<table id=\"{tableId}\">(.*?)</table>", RegexOptions.Singleline);
        table.Success.ShouldBeTrue($"the page has a table #{tableId}");
        var body = Regex.Match(table.Groups[1].Value, "<tbody>(.*?)</tbody>", RegexOptions.Singleline).Groups[1].Value;
        return Regex.Matches(body, $"<tr [^>]*?{attribute}=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
    }
}

/// <summary>The page without a browser: escaping, dist-info grouping, a missing zip, a function over the limit.</summary>
public class HtmlReportRenderTests
{
    private static readonly DistributionSize[] NoDistributions = [];

    private static (BuildReport Report, string OutputDir) SmallBuild()
    {
        var dir = TestEnvironment.NewTempDir("html-small");
        Directory.CreateDirectory(Path.Combine(dir, "layers"));
        using (var zip = ZipFile.Open(Path.Combine(dir, "layers", "ToolsLayer.zip"), ZipArchiveMode.Create))
        {
            foreach (var (name, text) in new[]
            {
                ("python/toolkit/__init__.py", new string('a', 100)),
                ("python/toolkit/sub/a.py", new string('b', 3000)),
                ("python/toolkit-1.0.dist-info/METADATA", new string('c', 50)),
                ("python/toolkit-1.0.dist-info/top_level.txt", "toolkit\n"),
                ("python/single.py", new string('d', 400)),
                ("python/single-2.0.dist-info/METADATA", new string('e', 40)),
                ("python/orphan-3.0.dist-info/METADATA", new string('f', 30)),
                ("python/<img src=x onerror=alert(1)>/x.py", new string('g', 5000)),
            })
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }
        var layer = new ArtifactReport("ToolsLayer", ArtifactReport.LayerKind, "python3.11", "x86_64", "layers/ToolsLayer.zip",
            8628, 1000, 8, new string('1', 64), [new DistributionSize("toolkit", "1.0", 3158)]);
        var gone = new ArtifactReport("GoneFunction", ArtifactReport.FunctionKind, "python3.11", "x86_64", "functions/GoneFunction.zip",
            299_991_372, 2000, 3, new string('2', 64), NoDistributions);
        var totals = new FunctionTotalReport("GoneFunction", "app.handler", [new FunctionLayerReport("ToolsLayer", false, 8628)], 300_000_000, false);
        return (new BuildReport("lambdaslim", "0.1.0", "template.yaml", "zlib", [layer], [gone], [totals]), dir);
    }

    [Fact]
    public void Names_and_paths_are_html_encoded_in_the_page_and_escaped_in_the_script_data()
    {
        var (report, dir) = SmallBuild();

        var html = HtmlReport.Render(report, dir);

        html.ShouldNotContain("<img");
        html.ShouldContain("<td class=\"path\">python/&lt;img src=x onerror=alert(1)&gt;/x.py</td>");
        html.ShouldContain("\"path\":\"ToolsLayer/\\u003Cimg src=x onerror=alert(1)\\u003E\"");
        html.ShouldNotContain("http://");
        html.ShouldNotContain("https://");
        HtmlReport.Render(report, dir).ShouldBe(html);
    }

    [Fact]
    public void Dist_info_joins_the_package_it_installed_or_the_loose_files_or_stays_itself()
    {
        var (report, dir) = SmallBuild();

        var html = HtmlReport.Render(report, dir);

        html.ShouldContain("\"path\":\"ToolsLayer/toolkit/toolkit-1.0.dist-info\"");
        html.ShouldContain("\"path\":\"ToolsLayer/toolkit/sub\"");
        html.ShouldContain("\"path\":\"ToolsLayer/(files)/single-2.0.dist-info\"");
        html.ShouldContain("\"path\":\"ToolsLayer/(files)/single.py\"");
        html.ShouldContain("\"path\":\"ToolsLayer/orphan-3.0.dist-info\"");
    }

    [Fact]
    public void A_missing_zip_is_named_and_a_function_over_the_limit_is_marked()
    {
        var (report, dir) = SmallBuild();

        var html = HtmlReport.Render(report, dir);

        html.ShouldContain("GoneFunction, its zip is missing");
        html.ShouldContain("<tr data-function=\"GoneFunction\" data-bytes=\"300000000\" class=\"over\">");
        html.ShouldContain((100.0 * 300_000_000 / 262_144_000).ToString("0.0", CultureInfo.InvariantCulture) + "%");
        html.ShouldNotContain("\"path\":\"GoneFunction");
    }

    [Fact]
    public async Task Save_writes_the_page_whole()
    {
        var (report, dir) = SmallBuild();
        var path = Path.Combine(dir, "size", "report.html");

        await HtmlReport.SaveAsync(report, dir, path);

        File.ReadAllText(path).ShouldBe(HtmlReport.Render(report, dir));
        Directory.GetFiles(Path.GetDirectoryName(path)!).ShouldBe([path]);
    }
}

/// <summary>A treemap rectangle as Chromium serialised it after the script ran; coordinates are relative to its parent.</summary>
internal sealed record TreemapRect(string Path, long Bytes, double Left, double Top, double Width, double Height, string? Label)
{
    public double Area => Width * Height;

    public double Overlap(TreemapRect o) =>
        Math.Max(0, Math.Min(Left + Width, o.Left + o.Width) - Math.Max(Left, o.Left)) *
        Math.Max(0, Math.Min(Top + Height, o.Top + o.Height) - Math.Max(Top, o.Top));

    public static List<TreemapRect> Parse(string dom) =>
        Regex.Matches(dom, "<div class=\"tm-node [^\"]*\"((?:\\s+[\\w-]+=\"[^\"]*\")*)>(?:<span class=\"tm-label\">([^<]*))?")
            .Select(m =>
            {
                var attrs = Regex.Matches(m.Groups[1].Value, "([\\w-]+)=\"([^\"]*)\"").ToDictionary(a => a.Groups[1].Value, a => a.Groups[2].Value);
                double Px(string property) => double.Parse(Regex.Match(attrs["style"], $"(?:^|;)\\s*{property}:\\s*(-?[\\d.]+)px").Groups[1].Value, CultureInfo.InvariantCulture);
                return new TreemapRect(System.Net.WebUtility.HtmlDecode(attrs["data-path"]), long.Parse(attrs["data-bytes"], CultureInfo.InvariantCulture),
                    Px("left"), Px("top"), Px("width"), Px("height"), m.Groups[2].Success ? System.Net.WebUtility.HtmlDecode(m.Groups[2].Value) : null);
            })
            .ToList();
}

/// <summary>Debian's chromium, headless, with a fresh profile, no network chatter, and a 60 s limit.</summary>
internal static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    public static async Task<string> DumpDomAsync(string htmlFile) =>
        await RunAsync("--window-size=1400,1000", "--dump-dom", new Uri(htmlFile).AbsoluteUri);

    public static async Task<string> RunAsync(params string[] args)
    {
        if (!File.Exists(Executable)) Assert.Fail($"{Executable} is missing: run ./test.sh, it installs chromium");
        var profile = TestEnvironment.NewTempDir("chromium-profile");
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     $"--user-data-dir={profile}", "--virtual-time-budget=5000", .. args])
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { Assert.Fail($"chromium did not finish within 60 s: {string.Join(' ', args)}"); }
            process.ExitCode.ShouldBe(0, await stderr);
            return await stdout;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } // a renderer may still hold a file for a moment
        }
    }
}
