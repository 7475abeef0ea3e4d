using System.IO.Compression;
using LambdaSlim.Tests.Cli;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// Resources built the way `sam build` builds them: makefile functions and layers, SkipBuild, runtimes SAM builds,
/// layers without a BuildMethod (shipped as they are), and plain AWS::Lambda::Function / LayerVersion.
/// </summary>
[Trait("Category", "Integration")]
public class SamBuildKindsTests
{
    private static readonly string[] Offline = ["--no-index", "--find-links", TestEnvironment.Wheelhouse];

    private static string Project(string resources, params (string Path, string Text)[] files)
    {
        var dir = TestEnvironment.NewTempDir("sam");
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllText(Path.Combine(dir, path), text);
        }
        File.WriteAllText(Path.Combine(dir, "template.yaml"), "Transform: AWS::Serverless-2016-10-31\nResources:\n" + resources);
        return dir;
    }

    private static List<string> Entries(string dir, string zip)
    {
        using var archive = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", zip));
        return archive.Entries.Select(e => e.FullName).ToList();
    }

    private const string MakeFunction = """
          Fn:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: fn/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Lib]}
            Metadata: {BuildMethod: makefile}
          Lib:
            Type: AWS::Serverless::LayerVersion
            Properties: {ContentUri: lib/, CompatibleRuntimes: [python3.11]}
            Metadata: {BuildMethod: makefile}

        """;

    [Fact]
    public async Task Makefile_resources_ship_what_make_put_in_ARTIFACTS_DIR_with_the_users_environment()
    {
        var dir = Project(MakeFunction,
            ("fn/app.py", "import greeting\ndef handler(e, c):\n    return greeting.HELLO\n"),
            // pip never runs for a makefile resource: this requirement does not exist anywhere.
            ("fn/requirements.txt", "no-such-package-anywhere\n"),
            ("fn/Makefile", "build-Fn:\n\tcp app.py $(ARTIFACTS_DIR)/\n\techo \"$$LAMBDASLIM_TEST_SETTING\" > $(ARTIFACTS_DIR)/setting.txt\n"),
            ("lib/greeting.py", "HELLO = 'hi'\n"),
            ("lib/Makefile", "build-Lib:\n\tmkdir -p $(ARTIFACTS_DIR)/python\n\tcp greeting.py $(ARTIFACTS_DIR)/python/\n"));
        Environment.SetEnvironmentVariable("LAMBDASLIM_TEST_SETTING", "from-the-environment");
        var (code, _, err) = await CliHarness.Run(["build", dir, .. Offline]);
        code.ShouldBe(0, err);

        var fn = Entries(dir, "functions/Fn.zip");
        fn.ShouldContain("app.py");
        fn.ShouldContain("__pycache__/app.cpython-311.pyc", "what make built still gets bytecode");
        fn.ShouldNotContain("Makefile");
        fn.ShouldNotContain("requirements.txt");
        using (var zip = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "functions", "Fn.zip")))
            new StreamReader(zip.GetEntry("setting.txt")!.Open()).ReadToEnd().Trim().ShouldBe("from-the-environment");
        var lib = Entries(dir, "layers/Lib.zip");
        lib.ShouldContain("python/greeting.py");
        lib.ShouldNotContain("Makefile");
        lib.ShouldNotContain("python/Makefile");
        err.ShouldContain("Running make build-Fn");
        err.ShouldNotContain("Installing");
        Directory.GetFiles(Path.Combine(dir, "fn")).Length.ShouldBe(3, "make ran on a copy: the user's folder is unchanged");
    }

    [Fact]
    public async Task A_failing_make_is_exit_5_with_makes_last_lines()
    {
        var dir = Project(MakeFunction,
            ("fn/app.py", "def handler(e, c):\n    return 1\n"),
            ("fn/Makefile", "build-Fn:\n\t@echo compiling the thing\n\t@echo 'boom: the thing is broken' >&2; exit 3\n"),
            ("lib/x.py", "X = 1\n"),
            ("lib/Makefile", "build-Lib:\n\tmkdir -p $(ARTIFACTS_DIR)/python\n\tcp x.py $(ARTIFACTS_DIR)/python/\n"));
        var (code, _, err) = await CliHarness.Run(["build", dir, .. Offline]);
        code.ShouldBe(5, err);
        var line = err.Trim().Split('\n')[^1];
        line.ShouldContain("make build-Fn failed");
        line.ShouldContain("boom: the thing is broken");
        File.Exists(Path.Combine(dir, ".lambdaslim", "build", "report.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task SkipBuild_image_and_node_functions_are_left_to_SAM_and_the_deploy_line_says_what_still_needs_sam_build()
    {
        var dir = Project("""
              Py:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: py/, Handler: app.handler, Runtime: python3.11}
              Prebuilt:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: prebuilt/, Handler: app.handler, Runtime: python3.11}
                Metadata: {SkipBuild: True}
              Node:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: node/, Handler: index.handler, Runtime: nodejs20.x}
              Image:
                Type: AWS::Serverless::Function
                Properties: {PackageType: Image}
                Metadata: {Dockerfile: Dockerfile, DockerContext: ./img}

            """,
            ("py/app.py", "def handler(e, c):\n    return 1\n"),
            ("prebuilt/app.py", "def handler(e, c):\n    return 2\n"),
            ("prebuilt/requirements.txt", "no-such-package-anywhere\n"),
            ("node/index.js", "exports.handler = async () => 1;\n"),
            ("img/Dockerfile", "FROM public.ecr.aws/lambda/python:3.12\n"));
        var (code, _, err) = await CliHarness.Run(["build", dir, .. Offline]);
        code.ShouldBe(0, err);

        err.ShouldContain("Prebuilt: left to SAM (Metadata: SkipBuild: True");
        err.ShouldContain("Node: left to SAM (runtime nodejs20.x is not Python)");
        var last = err.Trim().Split('\n')[^1];
        last.ShouldContain("still to build with SAM: Node (runtime nodejs20.x is not Python), Image (container image function)");
        last.ShouldContain($"deploy with: sam build -t {dir}/.lambdaslim/build/template.yaml && sam deploy");
        last.ShouldNotContain("Prebuilt", customMessage: "SkipBuild code ships as it is: sam build would not build it either");
        var template = File.ReadAllText(Path.Combine(dir, ".lambdaslim", "build", "template.yaml"));
        template.ShouldContain("CodeUri: functions/Py.zip");
        template.ShouldContain("CodeUri: ../../prebuilt/");
        template.ShouldContain("CodeUri: ../../node/");
    }

    [Fact]
    public async Task A_layer_without_BuildMethod_ships_as_it_is_unless_the_template_opts_in()
    {
        const string resources = """
              Vendored:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: vendored/, CompatibleRuntimes: [python3.11]}
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: fn/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Vendored]}

            """;
        var dir = Project(resources,
            ("fn/app.py", "import tinyvendored\ndef handler(e, c):\n    return tinyvendored.X\n"),
            ("vendored/python/tinyvendored/__init__.py", "X = 1\n"),
            ("vendored/python/tinyvendored/tests/test_x.py", "def test(): pass\n"),
            ("vendored/python/tinyvendored-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: tinyvendored\nVersion: 1.0\n"),
            ("vendored/python/tinyvendored-1.0.dist-info/RECORD", "tinyvendored/__init__.py,,\ntinyvendored/tests/test_x.py,,\ntinyvendored-1.0.dist-info/METADATA,,\ntinyvendored-1.0.dist-info/RECORD,,\n"),
            ("vendored/requirements.txt", "six\n"));
        var (code, _, err) = await CliHarness.Run(["build", dir, .. Offline]);
        code.ShouldBe(0, err);
        err.ShouldNotContain("Installing layer");
        err.ShouldContain("layer Vendored: has no Metadata: BuildMethod, so it ships as it is");
        var entries = Entries(dir, "layers/Vendored.zip");
        entries.ShouldContain("python/tinyvendored/tests/test_x.py", "not pruned unless asked");
        entries.ShouldContain("requirements.txt", "as it is, as SAM ships it");
        entries.ShouldNotContain(e => e.EndsWith(".pyc", StringComparison.Ordinal), "no bytecode unless asked");
        entries.ShouldNotContain("python/six.py");
        var report = LambdaSlim.Model.BuildReport.TryLoad(Path.Combine(dir, ".lambdaslim", "build", "report.json"))!;
        report.Layers.Single().Distributions.ShouldContain(d => d.Name == "tinyvendored" && d.Version == "1.0");

        File.WriteAllText(Path.Combine(dir, "template.yaml"),
            "Transform: AWS::Serverless-2016-10-31\nMetadata:\n  LambdaSlim: {build-layers-without-buildmethod: true}\nResources:\n" + resources);
        (code, _, err) = await CliHarness.Run(["build", dir, .. Offline]);
        code.ShouldBe(0, err);
        err.ShouldContain("Installing layer Vendored");
        Entries(dir, "layers/Vendored.zip").ShouldContain("python/six.py");
    }

    [Fact]
    public async Task A_top_level_module_that_fails_to_import_before_pruning_fails_the_build_unless_it_is_optional()
    {
        var wheels = TestEnvironment.NewTempDir("wheels");
        FailureTests.WriteWheel(wheels, "halfbroken", "1.0", ("halfbroken_native.py", "import no_such_native_library\n"u8.ToArray()));
        var dir = TestProjects.Six();
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "six\nhalfbroken\n");
        string[] args = ["build", dir, "--no-index", "--find-links", wheels, "--find-links", TestEnvironment.Wheelhouse];

        var (code, _, err) = await CliHarness.Run(args);
        code.ShouldBe(1, err);
        err.ShouldContain("import halfbroken_native fails even before pruning (ModuleNotFoundError");
        err.ShouldContain("optional-imports");

        File.WriteAllText(Path.Combine(dir, "template.yaml"), File.ReadAllText(Path.Combine(dir, "template.yaml"))
            .Replace("Transform: AWS::Serverless-2016-10-31\n", "Transform: AWS::Serverless-2016-10-31\nMetadata:\n  LambdaSlim: {optional-imports: [halfbroken_native]}\n"));
        (code, _, err) = await CliHarness.Run(args);
        code.ShouldBe(0, err);
    }

    [Fact]
    public async Task Plain_AWS_Lambda_Function_and_LayerVersion_with_local_code_are_built_like_sam_build_builds_them()
    {
        var dir = Project("""
              Lib:
                Type: AWS::Lambda::LayerVersion
                Properties: {Content: layer/, CompatibleRuntimes: [python3.11]}
                Metadata: {BuildMethod: python3.11}
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}
              Fn:
                Type: AWS::Lambda::Function
                Properties: {Code: src/, Handler: app.handler, Runtime: python3.11, Role: !GetAtt Role.Arn, Layers: [!Ref Lib]}

            """,
            ("layer/requirements.txt", "six\n"),
            ("src/app.py", "import six\ndef handler(e, c):\n    return six.PY3\n"));
        var (code, _, err) = await CliHarness.Run(["build", dir, .. Offline]);
        code.ShouldBe(0, err);
        Entries(dir, "layers/Lib.zip").ShouldContain("python/six.py");
        Entries(dir, "functions/Fn.zip").ShouldContain("app.py");
        var template = File.ReadAllText(Path.Combine(dir, ".lambdaslim", "build", "template.yaml"));
        template.ShouldContain("Code: functions/Fn.zip");
        template.ShouldContain("Content: layers/Lib.zip");
        template.ShouldContain("Role: !GetAtt Role.Arn");
    }
}
