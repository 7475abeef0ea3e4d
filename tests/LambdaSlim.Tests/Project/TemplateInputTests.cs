using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Project;

/// <summary>What a template may hold, checked when it is read: before anything is installed or written.</summary>
public class TemplateInputTests
{
    /// <summary>A project with one function in fn/ (holding app.py) and one layer in lib/, and the given resources.</summary>
    private static string Project(string resources, string parameters = "")
    {
        var dir = TestEnvironment.NewTempDir("input");
        Directory.CreateDirectory(Path.Combine(dir, "fn"));
        Directory.CreateDirectory(Path.Combine(dir, "lib"));
        File.WriteAllText(Path.Combine(dir, "fn", "app.py"), "def handler(e, c):\n    return 1\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"),
            "Transform: AWS::Serverless-2016-10-31\n" + (parameters.Length > 0 ? "Parameters:\n" + parameters : "") + "Resources:\n" + resources);
        return dir;
    }

    private static string Function(string id = "Fn", string properties = "CodeUri: fn/, Handler: app.handler, Runtime: python3.11") =>
        $"  {id}:\n    Type: AWS::Serverless::Function\n    Properties: {{{properties}}}\n";

    private const string Lib = "  Lib:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {ContentUri: lib/, CompatibleRuntimes: [python3.11]}\n";

    private static LambdaSlimException Refused(string dir) => Should.Throw<LambdaSlimException>(() => ProjectLoader.Load(dir));

    [Theory]
    [InlineData("\"../../victim\"", AWS_Function)]
    [InlineData("\"/tmp/x/victim\"", "AWS::Serverless::LayerVersion")]
    [InlineData("My-Table", "AWS::DynamoDB::Table")]
    [InlineData("Fn_1", AWS_Function)]
    public void A_logical_id_that_is_not_letters_and_digits_is_refused_naming_it(string id, string type)
    {
        var e = Refused(Project($"  {id}:\n    Type: {type}\n    Properties: {{CodeUri: fn/, ContentUri: lib/, Handler: app.handler, Runtime: python3.11}}\n"));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain($"resource '{id.Trim('"')}' in template.yaml: a logical ID must be 1 to 255 letters and digits only (CloudFormation's rule)");
        e.OneLine.ShouldEndWith("rename it");
    }

    private const string AWS_Function = "AWS::Serverless::Function";

    [Fact]
    public async Task Layers_clean_refuses_a_layer_named_after_a_folder_outside_the_project_and_deletes_nothing()
    {
        var victim = TestEnvironment.NewTempDir("victim");
        File.WriteAllText(Path.Combine(victim, "precious.txt"), "keep me");
        var dir = Project($"  \"{victim}\":\n    Type: AWS::Serverless::LayerVersion\n    Properties: {{ContentUri: lib/, CompatibleRuntimes: [python3.11]}}\n");
        var (code, _, err) = await Cli.CliHarness.Run("layers", "clean", "all", "-p", dir);
        code.ShouldBe((int)ExitCode.InputError, err);
        err.ShouldContain($"resource '{victim}' in template.yaml: a logical ID must be 1 to 255 letters and digits only");
        File.Exists(Path.Combine(victim, "precious.txt")).ShouldBeTrue();
    }

    [Fact]
    public void A_logical_id_longer_than_255_characters_is_refused()
    {
        var e = Refused(Project(Function(new string('F', 256))));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("a logical ID must be 1 to 255 letters and digits");
    }

    [Fact]
    public void A_valid_253_character_logical_id_loads()
    {
        var id = "Fn" + new string('x', 251);
        var model = ProjectLoader.Load(Project(Function(id)));
        model.Functions.ShouldHaveSingleItem().LogicalId.ShouldBe(id);
    }

    [Fact]
    public void Handler_given_by_an_intrinsic_names_the_intrinsic_and_the_setting_that_replaces_it()
    {
        var e = Refused(Project(Function(properties: "CodeUri: fn/, Handler: !Join ['.', [app, handler]], Runtime: python3.11")));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("function Fn: Handler is !Join, an intrinsic function LambdaSlim cannot resolve at build time");
        e.OneLine.ShouldContain("Metadata: LambdaSlim: handler:");
    }

    [Fact]
    public void Runtime_given_by_a_Ref_to_a_parameter_without_Default_says_so_and_how_to_set_it()
    {
        var e = Refused(Project(Function(properties: "CodeUri: fn/, Handler: app.handler, Runtime: !Ref Py"), "  Py: {Type: String}\n"));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain("function Fn: Runtime is !Ref Py (a parameter without a Default), an intrinsic function LambdaSlim cannot resolve");
        e.OneLine.ShouldContain("Metadata: LambdaSlim: runtime: python3.12");
        e.OneLine.ShouldNotContain("(none)");
    }

    [Fact]
    public void Metadata_runtime_and_handler_settings_stand_in_for_intrinsics()
    {
        var dir = Project(Function(properties: "CodeUri: fn/, Handler: !Sub '${M}.handler', Runtime: !FindInMap [R, X, Y]")
            .Replace("    Properties:", "    Metadata: {LambdaSlim: {runtime: python3.12, handler: app.handler}}\n    Properties:"));
        var fn = ProjectLoader.Load(dir).Functions.ShouldHaveSingleItem();
        fn.Runtime.Name.ShouldBe("python3.12");
        fn.Handler.ShouldBe("app.handler");
    }

    [Fact]
    public void A_Ref_to_a_parameter_with_a_Default_is_resolved_for_every_property_LambdaSlim_reads()
    {
        var dir = Project(
            Function(properties: "CodeUri: !Ref Code, Handler: {Ref: Handler}, Runtime: !Ref Py, Architectures: [!Ref Arch], Layers: [!Ref Lib]")
            + "  Lib:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {ContentUri: !Ref LibDir}\n    Metadata: {BuildMethod: !Ref Py}\n",
            "  Code: {Type: String, Default: fn/}\n  Handler: {Type: String, Default: app.handler}\n  Py: {Type: String, Default: python3.12}\n"
            + "  Arch: {Type: String, Default: arm64}\n  LibDir: {Type: String, Default: lib/}\n");
        var model = ProjectLoader.Load(dir);
        var fn = model.Functions.ShouldHaveSingleItem();
        fn.CodeDir.TrimEnd('/').ShouldBe(Path.Combine(dir, "fn"));
        fn.Handler.ShouldBe("app.handler");
        fn.Runtime.Name.ShouldBe("python3.12");
        fn.Architecture.ShouldBe(Architecture.Arm64);
        var layer = model.Layers.ShouldHaveSingleItem();
        layer.ContentDir.TrimEnd('/').ShouldBe(Path.Combine(dir, "lib"));
        layer.Runtime.Name.ShouldBe("python3.12");
    }

    [Theory]
    [InlineData("Layers: !Ref Lib", "function Fn: Layers must be a list, not !Ref Lib")]
    [InlineData("Layers: 'arn:aws:lambda:eu-west-1:123456789012:layer:x:1'", "function Fn: Layers must be a list")]
    public void A_scalar_Layers_is_an_input_error(string layers, string message)
    {
        var e = Refused(Project(Function(properties: $"CodeUri: fn/, Handler: app.handler, Runtime: python3.11, {layers}") + Lib));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain(message);
    }

    [Fact]
    public void A_Layers_list_from_a_list_parameter_or_an_If_stays_external_so_the_total_is_a_lower_bound()
    {
        var dir = Project(Function(properties: "CodeUri: fn/, Handler: app.handler, Runtime: python3.11, Layers: !Ref Arns")
            + Function("Fn2", "CodeUri: fn/, Handler: app.handler, Runtime: python3.11, Layers: !If [HasLib, [!Ref Lib], []]") + Lib,
            "  Arns: {Type: CommaDelimitedList}\n");
        var functions = ProjectLoader.Load(dir).Functions;
        functions[0].Layers.ShouldBe([new LayerRef.External("!Ref Arns")]);
        functions[1].Layers.ShouldHaveSingleItem().ShouldBeOfType<LayerRef.External>().Display.ShouldStartWith("!If");
    }

    [Fact]
    public void A_Ref_to_a_name_that_is_neither_resource_nor_parameter_is_an_input_error_naming_function_and_name()
    {
        var e = Refused(Project(Function(properties: "CodeUri: fn/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref NoSuchLayer]") + Lib));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("function Fn: Layers refers to 'NoSuchLayer', which is neither a resource nor a parameter");
    }

    [Fact]
    public void A_Ref_to_a_parameter_stays_an_external_layer()
    {
        var dir = Project(Function(properties: "CodeUri: fn/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref LayerArn]"), "  LayerArn: {Type: String}\n");
        ProjectLoader.Load(dir).Functions.ShouldHaveSingleItem().Layers.ShouldBe([new LayerRef.External("!Ref LayerArn")]);
    }

    [Fact]
    public void A_layer_listed_twice_in_one_function_is_an_input_error_naming_it()
    {
        var e = Refused(Project(Function(properties: "CodeUri: fn/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Lib, !Ref Lib]") + Lib));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("Lambda rejects a function that lists layer Lib twice");
    }

    [Fact]
    public void A_layer_in_Globals_and_again_in_the_function_is_listed_twice()
    {
        var dir = Project(Function(properties: "CodeUri: fn/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Lib]") + Lib);
        var path = Path.Combine(dir, "template.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("Resources:\n", "Globals:\n  Function:\n    Layers: [!Ref Lib]\nResources:\n"));
        var e = Refused(dir);
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("function Fn lists layer Lib twice");
    }

    [Fact]
    public void An_empty_CodeUri_folder_is_an_input_error()
    {
        var dir = Project(Function(properties: "CodeUri: empty/, Handler: app.handler, Runtime: python3.11"));
        Directory.CreateDirectory(Path.Combine(dir, "empty", "sub"));
        var e = Refused(dir);
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("CodeUri 'empty/' of function Fn is an empty folder");
    }

    [Fact]
    public void A_handler_without_a_function_name_is_an_input_error()
    {
        var e = Refused(Project(Function(properties: "CodeUri: fn/, Handler: app, Runtime: python3.11")));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("function Fn: Handler 'app' is not module.function");
    }

    [Fact]
    public void The_template_path_is_relative_to_the_current_folder_as_sam_build_takes_it()
    {
        var project = Project(Function());
        var elsewhere = TestEnvironment.NewTempDir("tpl");
        File.Move(Path.Combine(project, "template.yaml"), Path.Combine(elsewhere, "other.yaml"));
        File.WriteAllText(Path.Combine(elsewhere, "other.yaml"), File.ReadAllText(Path.Combine(elsewhere, "other.yaml")).Replace("CodeUri: fn/", $"CodeUri: {Path.Combine(project, "fn")}"));
        var typed = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(elsewhere, "other.yaml"));
        Path.IsPathRooted(typed).ShouldBeFalse();

        var model = ProjectLoader.Load(project, typed);
        model.Template.Path.ShouldBe(Path.Combine(elsewhere, "other.yaml"));
        model.Functions.ShouldHaveSingleItem().CodeDir.ShouldBe(Path.Combine(project, "fn"));
    }

    [Fact]
    public void A_template_path_that_only_exists_inside_the_project_says_how_t_is_read_now()
    {
        var project = Project(Function());
        var e = RefusedWithTemplate(project, "template.yaml");
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain($"-t is a path from the current folder, as in 'sam build -t': pass -t {Path.Combine(project, "template.yaml")}");
    }

    private static LambdaSlimException RefusedWithTemplate(string dir, string template) => Should.Throw<LambdaSlimException>(() => ProjectLoader.Load(dir, template));
}
