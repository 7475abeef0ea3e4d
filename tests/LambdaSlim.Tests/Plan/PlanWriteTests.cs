using System.Diagnostics;
using LambdaSlim.Pipeline;
using LambdaSlim.Plan;
using LambdaSlim.Tests.Cli;
using LambdaSlim.Tests.Pipeline;

namespace LambdaSlim.Tests.Plan;

/// <summary>
/// `plan` and `plan --write` on a small real project, built with real pip from the offline wheelhouse: one layer
/// (python-dateutil, which brings six) loaded by three functions, of which one imports dateutil, one six, one nothing.
/// </summary>
[Trait("Category", "Integration")]
public class PlanWriteTests
{
    private const string Template = """
        # A hand-made split: one layer for everything.
        AWSTemplateFormatVersion: "2010-09-09"
        Transform: AWS::Serverless-2016-10-31
        Description: plan test
        Metadata:
          cfn-lint:
            config:
              ignore_checks:
                - E2533   # python3.11 is what the offline wheelhouse has

        Parameters:
          Stage:
            Type: String
            Default: dev

        Globals:
          Function:
            Runtime: python3.11
            Handler: app.handler
            Tags:
              team: data   # tags stay

        Resources:
          # ------------------------------------------------ the shared layer
          Shared:
            Type: AWS::Serverless::LayerVersion
            Properties:
              LayerName: !Sub shared-${Stage}
              ContentUri: layers/shared/
              CompatibleRuntimes:
                - python3.11
            Metadata:
              BuildMethod: python3.11   # built by LambdaSlim

          # ---------------------------------------------------- functions
          Dates:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: src/dates/
              Layers:
                - !Ref Shared   # dateutil lives here
          Sixes:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: src/sixes/
              Layers: [!Ref Shared]
          Plain:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: src/plain/
              Layers:
                - !Ref Shared
              Description: imports nothing from the layer

        Outputs:
          DatesArn:
            Value: !GetAtt Dates.Arn
        """;

    private static string Project()
    {
        var dir = TestEnvironment.NewTempDir("plan");
        void Write(string path, string text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllText(Path.Combine(dir, path), text);
        }
        Write("layers/shared/requirements.txt", "# the shared stack\npython-dateutil\n");
        Write("src/dates/app.py", "def handler(e, c):\n    from dateutil import parser  # lazy, still needed\n    return parser.parse(e['when']).isoformat()\n");
        Write("src/sixes/app.py", "import json\nimport six\nimport helpers\n\ndef handler(e, c):\n    return json.dumps(six.PY3)\n");
        Write("src/sixes/helpers.py", "import os\n");
        Write("src/plain/app.py", "import json\n\ndef handler(e, c):\n    return json.dumps(e)\n");
        Write("template.yaml", Template);
        return dir;
    }

    private static Task<BuildResult> Build(string dir) =>
        BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());

    private static void ShouldBuild(BuildResult result) =>
        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings.Select(f => f.Message)));

    private static string[] Offline => ["--no-index", "--find-links", TestEnvironment.Wheelhouse, "--platform", "linux_x86_64"];

    [Fact]
    public async Task Plan_keeps_what_two_functions_share_in_the_layer_moves_the_rest_to_its_one_user_and_drops_the_layer_from_the_third()
    {
        var dir = Project();
        ShouldBuild(await Build(dir));

        var report = await PlanRunner.RunAsync(new PlanRequest { ProjectDir = dir }, new RecordingObserver());

        report.Plan.Fits.ShouldBeTrue();
        report.Plan.Method.ShouldBe(PlanMethod.Exact);
        var layer = report.Plan.Layers.ShouldHaveSingleItem();
        layer.Name.ShouldBe("Shared");
        layer.Items.Select(i => i.Name).ShouldBe(["six"]);
        layer.UsedBy.ShouldBe(["Dates", "Sixes"]);
        var dates = report.Plan.Functions.Single(f => f.LogicalId == "Dates");
        dates.InPackage.Select(i => i.Name).ShouldBe(["python-dateutil"]);
        var plain = report.Plan.Functions.Single(f => f.LogicalId == "Plain");
        plain.Layers.ShouldBeEmpty();
        plain.LoadedBytes.ShouldBeLessThan(report.LoadedNow["Plain"]);
        report.Changes.ShouldContain(c => c.StartsWith("python-dateutil", StringComparison.Ordinal) && c.Contains("moved from Shared to Dates's package: only Dates needs them", StringComparison.Ordinal));
        report.Changes.ShouldContain("Plain stops loading Shared: it needs nothing in it (six)");
    }

    [Fact]
    public async Task A_function_whose_imports_are_decided_at_run_time_keeps_everything_it_loads_now_and_the_plan_says_so()
    {
        var dir = Project();
        File.WriteAllText(Path.Combine(dir, "src", "plain", "app.py"), "import importlib\n\ndef handler(e, c):\n    return importlib.import_module(e['module']).__name__\n");
        ShouldBuild(await Build(dir));

        var report = await PlanRunner.RunAsync(new PlanRequest { ProjectDir = dir }, new RecordingObserver());

        report.Plan.Fits.ShouldBeTrue();
        var plain = report.Plan.Functions.Single(f => f.LogicalId == "Plain");
        plain.LoadedBytes.ShouldBe(report.LoadedNow["Plain"]);
        report.Plan.Layers.Where(l => l.UsedBy.Contains("Plain")).SelectMany(l => l.Items).Select(i => i.Name).Order().ShouldBe(["python-dateutil", "six"]);
        report.Notes.ShouldContain("Plain: it imports modules named at run time (app.py:4), so it keeps everything its package and layers give it now");
    }

    [Fact]
    public async Task Plan_write_keeps_comments_and_tags_backs_up_and_the_result_builds_passes_size_check_and_cfn_lint()
    {
        var dir = Project();
        ShouldBuild(await Build(dir));
        var before = File.ReadAllText(Path.Combine(dir, "template.yaml"));

        var (code, output, err) = await CliHarness.Run(["plan", "-p", dir, "--write"]);

        code.ShouldBe(0, err);
        output.ShouldContain("plan: 1 layer for 3 functions");
        var after = File.ReadAllText(Path.Combine(dir, "template.yaml"));
        // Every comment and tag of the template is still there; Plain lost its Layers, the rest is as written.
        foreach (var line in before.Split('\n').Where(l => l.Contains('#', StringComparison.Ordinal) || l.Contains('!', StringComparison.Ordinal)).Where(l => !l.Contains("Plain", StringComparison.Ordinal)))
            after.ShouldContain(line.TrimEnd());
        after.ShouldNotContain("Layers:\n        - !Ref Shared\n        Description: imports nothing");
        after.Split('\n').Count(l => l.Contains("!Ref Shared", StringComparison.Ordinal)).ShouldBe(2);
        File.ReadAllText(Path.Combine(dir, "layers", "shared", "requirements.txt")).ShouldContain("six==1.17.0");
        File.ReadAllText(Path.Combine(dir, "layers", "shared", "requirements.txt")).ShouldNotContain("python-dateutil");
        File.ReadAllText(Path.Combine(dir, "src", "dates", "requirements.txt")).ShouldContain("python-dateutil==2.9.0.post0");
        var backup = Directory.GetDirectories(Path.Combine(dir, ".lambdaslim", "plan-backup")).ShouldHaveSingleItem();
        File.ReadAllText(Path.Combine(backup, "template.yaml")).ShouldBe(before);
        File.ReadAllText(Path.Combine(backup, "layers", "shared", "requirements.txt")).ShouldBe("# the shared stack\npython-dateutil\n");

        var rebuilt = await Build(dir);
        rebuilt.Failed.ShouldBeFalse(string.Join("\n", rebuilt.Findings.Select(f => f.Message)));
        rebuilt.Report.Layers.Single().Distributions.Select(d => d.Name).ShouldBe(["six"]);
        rebuilt.Report.Functions.Single(f => f.LogicalId == "Dates").Distributions.Select(d => d.Name).ShouldBe(["python-dateutil"]);
        rebuilt.Report.Totals.Single(t => t.LogicalId == "Plain").Layers.ShouldBeEmpty();
        (await CliHarness.Run(["size", "check", "-p", dir])).Code.ShouldBe(0);
        var lint = CfnLint(Path.Combine(dir, "template.yaml"));
        lint.Code.ShouldBe(0, lint.Output);

        // The plan of the planned template is itself.
        var (again, text, _) = await CliHarness.Run(["plan", "-p", dir, .. Offline]);
        again.ShouldBe(0);
        text.ShouldContain("none: the template already has this plan");
    }

    [Fact]
    public async Task New_layers_are_added_as_resources_with_their_own_folders_and_the_functions_list_them()
    {
        // No layer yet: every function bundles what it needs. six is needed by all three, python-dateutil by two.
        var dir = TestEnvironment.NewTempDir("plan-new");
        foreach (var (fn, imports, requirements) in new[] { ("dates", "from dateutil import tz", "python-dateutil"), ("sixes", "import six", "six"), ("plain", "import six\nfrom dateutil import tz", "python-dateutil\nsix") })
        {
            Directory.CreateDirectory(Path.Combine(dir, "src", fn));
            File.WriteAllText(Path.Combine(dir, "src", fn, "app.py"), $"{imports}\n\ndef handler(e, c):\n    return 1\n");
            File.WriteAllText(Path.Combine(dir, "src", fn, "requirements.txt"), requirements + "\n");
        }
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Metadata:
              cfn-lint:
                config:
                  ignore_checks: [E2533]
            Globals:
              Function:
                Runtime: python3.11
                Handler: app.handler
            Resources:
              # functions
              Dates:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src/dates/
              Sixes:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/sixes/}
              Plain:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src/plain/
            """);
        ShouldBuild(await Build(dir));

        var (code, output, err) = await CliHarness.Run(["plan", "-p", dir, "--write", "--format", "markdown"]);

        code.ShouldBe(0, err);
        output.ShouldContain("| layer | unzipped |");
        var after = File.ReadAllText(Path.Combine(dir, "template.yaml"));
        after.ShouldContain("  SixLayer:\n    Type: AWS::Serverless::LayerVersion");
        after.ShouldContain("  PythonDateutilLayer:\n    Type: AWS::Serverless::LayerVersion");
        after.ShouldContain("assumes-layers: [SixLayer]");
        after.ShouldContain("  # functions\n");
        File.ReadAllText(Path.Combine(dir, "layers", "six", "requirements.txt")).ShouldEndWith("six==1.17.0\n");
        File.ReadAllText(Path.Combine(dir, "layers", "python-dateutil", "requirements.txt")).ShouldEndWith("python-dateutil==2.9.0.post0\n");
        var rebuilt = await Build(dir);
        ShouldBuild(rebuilt);
        rebuilt.Report.Layers.Single(l => l.LogicalId == "PythonDateutilLayer").Distributions.Select(d => d.Name).ShouldBe(["python-dateutil"]);
        rebuilt.Report.Totals.Single(t => t.LogicalId == "Plain").Layers.Select(l => l.Name).ShouldBe(["SixLayer", "PythonDateutilLayer"]);
        rebuilt.Report.Totals.Single(t => t.LogicalId == "Sixes").Layers.Select(l => l.Name).ShouldBe(["SixLayer"]);
        rebuilt.Report.Functions.ShouldAllBe(f => f.Distributions.Count == 0);
        var lint = CfnLint(Path.Combine(dir, "template.yaml"));
        lint.Code.ShouldBe(0, lint.Output);
    }

    [Fact]
    public async Task The_import_scan_counts_lazy_imports_and_leaves_out_the_standard_library_and_the_functions_own_modules()
    {
        var dir = Project();
        File.WriteAllText(Path.Combine(dir, "src", "plain", "dyn.py"), "import importlib\nimportlib.import_module('yaml')\n\ndef load(name):\n    return importlib.import_module(name)\n");

        var scans = await ImportScanner.ScanAsync(LambdaSlim.Runtimes.PythonRuntimes.Parse("python3.11", "test"),
            [Path.Combine(dir, "src", "dates"), Path.Combine(dir, "src", "sixes"), Path.Combine(dir, "src", "plain")], CancellationToken.None);

        scans[0].Imports.ShouldBe(["dateutil"]);
        scans[0].Resolved.ShouldBeTrue();
        scans[1].Imports.ShouldBe(["six"]);
        scans[2].Imports.ShouldBe(["yaml"]);
        scans[2].Resolved.ShouldBeFalse();
        scans[2].Dynamic.ShouldBe(["dyn.py:5"]);
    }

    private static (int Code, string Output) CfnLint(string template)
    {
        var psi = new ProcessStartInfo("cfn-lint") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(template);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Result + error);
    }
}
