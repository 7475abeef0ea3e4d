using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Project;

public class ProjectLoaderTests
{
    private static string Project(string template, params string[] dirs)
    {
        var dir = TestEnvironment.NewTempDir("proj");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), template);
        foreach (var d in dirs)
        {
            Directory.CreateDirectory(Path.Combine(dir, d));
            File.WriteAllText(Path.Combine(dir, d, "app.py"), "def handler(e, c):\n    return 1\n");
        }
        return dir;
    }

    private const string Base = """
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function:
            Runtime: python3.12
            Architectures: [arm64]
            Handler: app.handler
            MemorySize: 512
            Layers:
              - !Ref Shared
        Resources:
          Shared:
            Type: AWS::Serverless::LayerVersion
            Properties:
              ContentUri: layers/shared/
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: src/fn
              Layers:
                - arn:aws:lambda:eu-west-1:123456789012:layer:ext:4
                - !Sub "arn:aws:lambda:${AWS::Region}:123456789012:layer:other:1"
            Metadata:
              LambdaSlim:
                prune: aggressive
          Img:
            Type: AWS::Serverless::Function
            Properties:
              PackageType: Image
          Node:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: src/node
              Runtime: nodejs20.x
            Metadata:
              LambdaSlim: {skip: true}
        """;

    [Fact]
    public void Reads_functions_with_globals_merged_and_layers_in_SAM_order()
    {
        var model = ProjectLoader.Load(Project(Base, "layers/shared", "src/fn", "src/node"));
        var fn = model.Functions.ShouldHaveSingleItem();
        fn.LogicalId.ShouldBe("Fn");
        fn.Runtime.Name.ShouldBe("python3.12");
        fn.Architecture.ShouldBe(Architecture.Arm64);
        fn.Handler.ShouldBe("app.handler");
        fn.HandlerModule.ShouldBe("app");
        fn.Settings.GetString("prune").ShouldBe("aggressive");
        fn.Layers.ShouldBe([
            new LayerRef.Local("Shared"),
            new LayerRef.External("arn:aws:lambda:eu-west-1:123456789012:layer:ext:4"),
            new LayerRef.External("!Sub arn:aws:lambda:${AWS::Region}:123456789012:layer:other:1"),
        ]);
        model.Skipped.Select(s => s.LogicalId).Order().ShouldBe(["Img", "Node"]);
    }

    [Fact]
    public void A_layer_without_BuildMethod_is_built_for_the_functions_that_use_it()
    {
        var model = ProjectLoader.Load(Project(Base, "layers/shared", "src/fn", "src/node"));
        var layer = model.Layers.ShouldHaveSingleItem();
        layer.Runtime.Name.ShouldBe("python3.12");
        layer.Architecture.ShouldBe(Architecture.Arm64);
        model.SelectLayers("shared").ShouldBe([layer]);
        Should.Throw<LambdaSlimException>(() => model.SelectLayers("nope")).ExitCode.ShouldBe(ExitCode.InputError);
    }

    [Theory]
    [InlineData("[12345]", "'12345'")]
    [InlineData("[everyone]", "'everyone'")]
    public void A_layer_shared_with_something_that_is_not_an_account_or_organization_is_a_configuration_error(string shareWith, string named)
    {
        var dir = TestProjects.Dates(layerMetadata: $"{{share-with: {shareWith}}}");

        var e = Should.Throw<LambdaSlimException>(() => ProjectLoader.Load(dir));

        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain($"layer Dates: share-with has {named}, which is neither a 12-digit account ID nor an organization ID");
    }

    [Fact]
    public void A_layer_may_be_shared_with_accounts_and_an_organization()
    {
        var dir = TestProjects.Dates(layerMetadata: "{share-with: ['123456789012', o-a1b2c3d4e5]}");

        ProjectLoader.Load(dir).Layers.Single().ShareWith.ShouldBe(["123456789012", "o-a1b2c3d4e5"]);
    }

    [Fact]
    public void Missing_CodeUri_folder_is_an_input_error_naming_function_and_path()
    {
        var e = Should.Throw<LambdaSlimException>(() => ProjectLoader.Load(Project(Base, "layers/shared", "src/node")));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("CodeUri 'src/fn' of function Fn does not exist");
    }

    [Fact]
    public void Missing_ContentUri_folder_is_an_input_error()
    {
        var e = Should.Throw<LambdaSlimException>(() => ProjectLoader.Load(Project(Base, "src/fn", "src/node")));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("ContentUri 'layers/shared/' of layer Shared");
    }

    [Fact]
    public void A_non_python_function_without_skip_is_left_to_SAM_and_marked_as_needing_sam_build()
    {
        // SAM builds Node functions; a template that mixes runtimes must still build its Python side.
        var template = Base.Replace("      LambdaSlim: {skip: true}", "      Other: 1");
        var project = ProjectLoader.Load(Project(template, "layers/shared", "src/fn", "src/node"));
        project.Functions.ShouldNotContain(f => f.LogicalId == "Node");
        var node = project.Skipped.Single(s => s.LogicalId == "Node");
        node.Reason.ShouldBe("runtime nodejs20.x is not Python");
        node.NeedsSamBuild.ShouldBeTrue();
    }

    [Fact]
    public void Malformed_yaml_names_the_line()
    {
        var e = Should.Throw<LambdaSlimException>(() => ProjectLoader.Load(Project("Resources:\n  Fn:\n    Type: [unclosed\n")));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("template.yaml:");
        e.OneLine.ShouldContain("not valid YAML");
    }

    [Fact]
    public void Missing_template_is_an_input_error()
    {
        var e = Should.Throw<LambdaSlimException>(() => ProjectLoader.Load(TestEnvironment.NewTempDir("empty")));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("template not found");
    }

    [Fact]
    public void Example_template_round_trips_with_every_short_form_tag_untouched()
    {
        var path = Path.Combine(TestEnvironment.ExampleDir, "template.yaml");
        var original = File.ReadAllText(path);
        var written = SamTemplate.Load(path).Serialize();
        YamlShape.Lines(written).ShouldBe(YamlShape.Lines(original));
        var tags = YamlShape.Tags(written);
        tags.ShouldContain("!Ref");
        tags.ShouldContain("!Sub");
        tags.ShouldContain("!GetAtt");
        tags.ShouldContain("!If");
        tags.ShouldContain("!Join");
    }

    [Fact]
    public void A_functions_environment_variables_are_resolved_as_sam_local_does_with_its_own_over_the_globals()
    {
        var dir = Project("""
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Stage: {Type: String, Default: dev}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
            Globals:
              Function:
                Environment:
                  Variables: {LOG_LEVEL: WARNING, REGION_HINT: eu}
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src/fn
                  Handler: app.handler
                  Runtime: python3.12
                  Environment:
                    Variables:
                      LOG_LEVEL: !If [IsProd, INFO, DEBUG]
                      STAGE: !Ref Stage
                      TABLE: !Ref Table
                      TABLE_ARN: !GetAtt Table.Arn
                      BUCKET: !Sub "${AWS::StackName}-models-${Stage}"
                      LONG: {"Fn::If": [IsProd, "1", "2"]}
                      SHARED: !ImportValue other-stack-output
            """, "src/fn");

        var variables = ProjectLoader.Load(dir).Functions.Single().Variables;

        variables.ShouldBe(new Dictionary<string, string>
        {
            ["LOG_LEVEL"] = "INFO", ["REGION_HINT"] = "eu", ["STAGE"] = "dev", ["TABLE"] = "Table", ["TABLE_ARN"] = "Table.Arn",
            ["BUCKET"] = "AWS::StackName-models-dev", ["LONG"] = "1",
        }, ignoreOrder: true);
    }
}
