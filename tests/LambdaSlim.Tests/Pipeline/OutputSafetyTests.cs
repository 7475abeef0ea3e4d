using System.Diagnostics;
using System.Security.Cryptography;
using LambdaSlim.Pipeline;
using LambdaSlim.IO;
using LambdaSlim.Tests.Cli;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// What LambdaSlim promises about the files it writes: only inside .lambdaslim/ (and its cache), and the build's
/// outputs switched over whole, so after any stop .lambdaslim/build/ is the previous build or the new one.
/// </summary>
public class OutputSafetyTests
{
    private static readonly string[] Offline = ["--no-index", "--find-links", TestEnvironment.Wheelhouse];

    private static Task<BuildResult> Build(string dir, CancellationToken cancellationToken = default, bool clean = false, IBuildObserver? observer = null) =>
        BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Clean = clean, Settings = ExampleBuildFixture.OfflineSettings }, observer ?? new RecordingObserver(), cancellationToken);

    /// <summary>Every zip the committed report names is there with the sha256 the report gives it.</summary>
    private static void ShouldBeOneCompleteBuild(string dir)
    {
        var paths = new BuildPaths(dir);
        var report = BuildReport.TryLoad(paths.Report).ShouldNotBeNull();
        foreach (var a in report.Layers.Concat(report.Functions))
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(paths.Output, a.Zip)))).ShouldBe(a.Sha256, a.Zip);
        File.ReadAllText(paths.Template).ShouldContain(report.Functions.Single().Zip);
    }

    private static string[] Leftovers(string dir) =>
        Directory.EnumerateFileSystemEntries(Path.Combine(dir, ".lambdaslim"), "*", SearchOption.AllDirectories)
            .Where(p => p.Contains(".tmp", StringComparison.Ordinal) || p.Contains(BuildPaths.StagingPrefix, StringComparison.Ordinal) || p.EndsWith(".previous", StringComparison.Ordinal))
            .ToArray();

    [Fact]
    public void Writes_and_deletes_outside_the_allowed_folders_are_refused()
    {
        var project = TestEnvironment.NewTempDir("boundary");
        var victim = TestEnvironment.NewTempDir("victim");
        File.WriteAllText(Path.Combine(victim, "keep.txt"), "mine");
        var root = Path.Combine(project, ".lambdaslim");
        Directory.CreateDirectory(Path.Combine(root, "build"));
        // A link planted inside .lambdaslim must not carry a delete out of it either.
        Directory.CreateSymbolicLink(Path.Combine(root, "build", "layers"), victim);

        using (WriteBoundary.Allow(root))
        {
            Should.Throw<LambdaSlimException>(() => WriteBoundary.DeleteDirectory(victim)).ExitCode.ShouldBe(ExitCode.InputError);
            Should.Throw<LambdaSlimException>(() => WriteBoundary.DeleteDirectory(Path.Combine(root, "..", "..", Path.GetFileName(victim))));
            Should.Throw<LambdaSlimException>(() => WriteBoundary.DeleteFile(Path.Combine(root, "build", "layers", "keep.txt")))
                .Message.ShouldContain("is a link to");
            Should.Throw<LambdaSlimException>(() => AtomicFile.WriteAllTextAsync(Path.Combine(project, "template.yaml"), "x").GetAwaiter().GetResult());
            WriteBoundary.DeleteDirectory(Path.Combine(root, "build", "layers")); // the link itself goes, not what it points at
        }
        File.ReadAllText(Path.Combine(victim, "keep.txt")).ShouldBe("mine");
        File.Exists(Path.Combine(project, "template.yaml")).ShouldBeFalse();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Every_command_that_writes_changes_nothing_outside_lambdaslim()
    {
        var parent = TestEnvironment.NewTempDir("walk");
        var dir = Path.Combine(parent, "proj");
        TestEnvironment.CopyDirectory(TestProjects.Six(), dir);
        File.WriteAllText(Path.Combine(parent, "sibling.txt"), "untouched");
        var before = Snapshot(parent);

        string[][] commands =
        [
            ["build", dir, .. Offline],
            ["build", dir, "--clean", "--format", "json", .. Offline],
            ["layers", "build", "all", "-p", dir, .. Offline],
            ["layers", "optimize", "Lib", "-p", dir, .. Offline],
            ["layers", "validate", "all", "-p", dir, .. Offline],
            ["audit", dir, .. Offline],
            ["audit", dir, "--repair", .. Offline],
            ["size", "report", "--format", "html", "-p", dir],
            ["size", "report", "--format", "markdown", "-p", dir, "-o", Path.Combine(dir, ".lambdaslim", "size.md")],
            ["coldstart", "Fn", "--runs", "1", "-p", dir],
            ["layers", "clean", "all", "-p", dir],
            ["build", dir, "--layers-only", .. Offline],
            ["build", dir, "--functions-only", .. Offline],
        ];
        foreach (var command in commands)
        {
            var (code, _, err) = await CliHarness.Run(command);
            code.ShouldBe(0, $"{string.Join(' ', command)}: {err}");
            Snapshot(parent).ShouldBe(before, string.Join(' ', command));
        }
        Leftovers(dir).ShouldBeEmpty();
    }

    /// <summary>Every file and folder under <paramref name="dir"/> except .lambdaslim, with a hash of each file.</summary>
    private static string[] Snapshot(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}.lambdaslim", StringComparison.Ordinal))
            .Select(p => File.Exists(p) ? $"{p} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p)))}" : p)
            .Order(StringComparer.Ordinal).ToArray();

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Cancelling_while_compressing_a_function_leaves_the_previous_build_whole()
    {
        var dir = TestProjects.Six();
        var first = await Build(dir);
        var layerZip = File.ReadAllBytes(Path.Combine(dir, ".lambdaslim", "build", "layers", "Lib.zip"));

        // The layer and the function change, so the layer's new zip is written before the build is stopped while
        // compressing the function (an unchanged function's zip would be kept, not compressed again).
        File.WriteAllText(Path.Combine(dir, "layer", "extra.py"), "X = 2\n");
        File.WriteAllText(Path.Combine(dir, "src", "extra.py"), "Y = 2\n");
        using var cancel = new CancellationTokenSource();
        await Should.ThrowAsync<OperationCanceledException>(() => Build(dir, cancel.Token, observer: new CancelOnStep("Compressing function", cancel)));

        File.ReadAllBytes(Path.Combine(dir, ".lambdaslim", "build", "layers", "Lib.zip")).ShouldBe(layerZip);
        BuildReport.TryLoad(new BuildPaths(dir).Report)!.Layers.Single().Sha256.ShouldBe(first.Report.Layers.Single().Sha256);
        ShouldBeOneCompleteBuild(dir);
        Leftovers(dir).ShouldBeEmpty();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_clean_build_that_fails_keeps_the_previous_build_and_size_check_still_matches_it()
    {
        var dir = TestProjects.Six();
        await Build(dir);
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "six\nno-such-package-anywhere\n");
        (await Should.ThrowAsync<LambdaSlimException>(() => Build(dir, clean: true))).ExitCode.ShouldBe(ExitCode.NoCompatibleWheel);

        ShouldBeOneCompleteBuild(dir);
        var (code, stdout, err) = await CliHarness.Run("size", "check", "-p", dir);
        code.ShouldBe(0, err);
        stdout.ShouldContain("ok    Fn");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_build_killed_with_SIGKILL_leaves_one_complete_build_and_the_next_build_removes_its_leftovers()
    {
        var dir = TestProjects.Six();
        await Build(dir);
        File.WriteAllText(Path.Combine(dir, "src", "more.py"), "Y = 1\n");

        using (var build = StartCli(["build", dir, .. Offline, "--audit", "off"]))
        {
            string? line;
            while ((line = await build.StandardError.ReadLineAsync()) is not null && !line.StartsWith("Compressing", StringComparison.Ordinal)) { }
            if (!build.HasExited) build.Kill(); // SIGKILL: no handler runs
            await build.WaitForExitAsync();
        }
        // Whenever the kill landed, what is committed is one whole build.
        ShouldBeOneCompleteBuild(dir);

        // What a killed build can leave: a staged folder, a temporary zip. The next build clears them.
        Directory.CreateDirectory(Path.Combine(dir, ".lambdaslim", BuildPaths.StagingPrefix + "12345-abc", "functions"));
        File.WriteAllText(Path.Combine(dir, ".lambdaslim", "build", "functions", ".Fn.zip.tmp-12345-0123"), "half");
        await Build(dir);
        Leftovers(dir).ShouldBeEmpty();
        ShouldBeOneCompleteBuild(dir);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task SIGTERM_during_a_build_unwinds_like_ctrl_c_exit_130_and_leaves_the_previous_build()
    {
        var dir = TestProjects.Six();
        await Build(dir);
        var before = File.ReadAllText(new BuildPaths(dir).Report);
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "six\njmespath\n");

        using var build = StartCli(["build", dir, .. Offline]);
        string? line;
        while ((line = await build.StandardError.ReadLineAsync()) is not null && !line.StartsWith("Installing layer", StringComparison.Ordinal)) { }
        TestEnvironment.Run("kill", "-TERM", build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rest = await build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();

        build.ExitCode.ShouldBe(130, rest);
        rest.ShouldContain("error: cancelled");
        File.ReadAllText(new BuildPaths(dir).Report).ShouldBe(before);
        ShouldBeOneCompleteBuild(dir);
        Leftovers(dir).ShouldBeEmpty();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_lambdaslim_folder_the_user_cannot_write_is_one_line_exit_9_and_the_build_stays()
    {
        var dir = TestProjects.Six();
        await Build(dir);
        // Tests run as root, whom permissions don't stop: run the real CLI as nobody, for whom the project is read-only.
        // The CLI is copied where nobody can read it (a checkout under /root is closed to other users).
        var cli = TestEnvironment.NewTempDir("cli");
        TestEnvironment.CopyDirectory(AppContext.BaseDirectory, cli);
        var result = TestEnvironment.RunUnchecked("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp",
            "dotnet", Path.Combine(cli, "LambdaSlim.Cli.dll"), "layers", "clean", "all", "-p", dir);
        result.ExitCode.ShouldBe(9, result.StdErr);
        var line = result.StdErr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain(Path.Combine(dir, ".lambdaslim"));
        line.ShouldContain("denied");
        ShouldBeOneCompleteBuild(dir);
    }

    /// <summary>The real lambdaslim in its own process, so signals reach it and not the test host.</summary>
    private static Process StartCli(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LambdaSlim.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    [Trait("Category", "Integration")]
    [Theory]
    [InlineData("changed")]
    [InlineData("missing")]
    public async Task Commands_that_read_a_build_refuse_zips_that_no_longer_match_the_report(string how)
    {
        var dir = TestProjects.Six();
        (await CliHarness.Run(["build", dir, .. Offline])).Code.ShouldBe(0);
        var zip = Path.Combine(dir, ".lambdaslim", "build", "functions", "Fn.zip");
        if (how == "missing") File.Delete(zip);
        else File.AppendAllText(zip, "tampered");

        string[][] commands =
        [
            ["size", "check", "-p", dir], ["size", "validate", "-p", dir], ["size", "report", "-p", dir],
            ["coldstart", "Fn", "--runs", "1", "-p", dir], ["audit", "-p", dir, .. Offline], ["layers", "report", "-p", dir],
        ];
        foreach (var command in commands)
        {
            var (code, _, err) = await CliHarness.Run(command);
            code.ShouldBe(3, $"{string.Join(' ', command)}: {err}");
            err.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"functions/Fn.zip {(how == "missing" ? "is missing" : "has changed")}");
            err.ShouldContain("build again");
        }
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_partial_build_carries_over_the_zips_it_did_not_make_but_not_those_of_resources_gone_from_the_template()
    {
        var dir = TestProjects.Six();
        await Build(dir);
        var fnZip = Path.Combine(dir, ".lambdaslim", "build", "functions", "Fn.zip");
        var before = File.ReadAllBytes(fnZip);
        (await CliHarness.Run(["build", dir, "--layers-only", .. Offline])).Code.ShouldBe(0);
        File.ReadAllBytes(fnZip).ShouldBe(before, "a layers-only build keeps the function's zip");
        ShouldBeOneCompleteBuild(dir);

        var template = File.ReadAllText(Path.Combine(dir, "template.yaml"));
        File.WriteAllText(Path.Combine(dir, "template.yaml"), template[..template.IndexOf("  Fn:", StringComparison.Ordinal)]);
        (await CliHarness.Run(["build", dir, "--layers-only", .. Offline])).Code.ShouldBe(0);
        File.Exists(fnZip).ShouldBeFalse("Fn is no longer in the template");
        BuildReport.TryLoad(new BuildPaths(dir).Report)!.Functions.ShouldBeEmpty();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_second_build_of_the_same_project_says_another_is_running_and_exits_8()
    {
        var dir = TestProjects.Six();
        using (ProjectLock.Acquire(new BuildPaths(dir)))
        {
            var (code, _, err) = await CliHarness.Run(["build", dir, .. Offline]);
            code.ShouldBe(8);
            err.ShouldContain($"another lambdaslim is building in {dir} (pid {Environment.ProcessId})");
        }
        (await CliHarness.Run(["build", dir, .. Offline])).Code.ShouldBe(0, "the lock goes with the process that held it");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_253_character_logical_id_builds()
    {
        var dir = TestProjects.Six();
        var id = "Fn" + new string('x', 251);
        File.WriteAllText(Path.Combine(dir, "template.yaml"), File.ReadAllText(Path.Combine(dir, "template.yaml")).Replace("  Fn:", $"  {id}:"));
        var (code, _, err) = await CliHarness.Run(["build", dir, .. Offline]);
        code.ShouldBe(0, err);
        var report = BuildReport.TryLoad(new BuildPaths(dir).Report)!;
        var fn = report.Functions.ShouldHaveSingleItem();
        fn.LogicalId.ShouldBe(id);
        File.Exists(Path.Combine(dir, ".lambdaslim", "build", fn.Zip)).ShouldBeTrue();
        File.ReadAllText(Path.Combine(dir, ".lambdaslim", "build", "template.yaml")).ShouldContain($"CodeUri: {fn.Zip}");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Size_report_to_a_folder_or_under_a_file_is_one_line_with_a_documented_code()
    {
        var dir = TestProjects.Six();
        (await CliHarness.Run(["build", dir, .. Offline])).Code.ShouldBe(0);

        var (code, _, err) = await CliHarness.Run("size", "report", "-p", dir, "-o", dir);
        code.ShouldBe(2);
        err.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("is a folder: name a file");

        File.WriteAllText(Path.Combine(dir, "afile"), "");
        (code, _, err) = await CliHarness.Run("size", "report", "-p", dir, "-o", Path.Combine(dir, "afile", "report.txt"));
        code.ShouldBe(9);
        err.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("afile");
        ShouldBeOneCompleteBuild(dir);
    }

    private sealed class CancelOnStep(string prefix, CancellationTokenSource cancel) : IBuildObserver
    {
        public void Info(string message) { }
        public void Warn(string message) { }

        public IProgressStep Step(string name, long? total = null)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) cancel.Cancel();
            return new RecordingObserver().Step(name, total);
        }
    }
}
