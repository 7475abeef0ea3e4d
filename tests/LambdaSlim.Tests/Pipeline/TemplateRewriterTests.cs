using System.IO.Compression;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Project;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// The template next to the zips points at what was built, and every other local path that `sam package` or
/// `aws cloudformation package` uploads resolves from its new folder to the same file as before. Functions that
/// share their properties through a YAML alias or a merge key each deploy their own package, and the result
/// passes real cfn-lint.
/// </summary>
public class TemplateRewriterTests
{
    private const string SharedProperties = """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:  {Type: AWS::Serverless::Function, Properties: &props {CodeUri: fn/, Handler: app.handler, Runtime: python3.12, Timeout: 5}}
          Fn3: {Type: AWS::Serverless::Function, Properties: *props, Metadata: {LambdaSlim: {exclude: ["data/**"]}}}
          Fn4:
            Type: AWS::Serverless::Function
            Properties:
              <<: *props
              Handler: app.other
        """;

    private static string Project()
    {
        var dir = TestEnvironment.NewTempDir("alias");
        Directory.CreateDirectory(Path.Combine(dir, "fn", "data"));
        File.WriteAllText(Path.Combine(dir, "fn", "app.py"), "import six\ndef handler(e, c):\n    return six.PY3\ndef other(e, c):\n    return 2\n");
        File.WriteAllText(Path.Combine(dir, "fn", "data", "model.json"), "{\"weights\": [1, 2, 3]}\n");
        File.WriteAllText(Path.Combine(dir, "fn", "requirements.txt"), "six\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), SharedProperties);
        return dir;
    }

    [Fact]
    public void Each_function_sharing_an_alias_or_a_merge_key_gets_its_own_CodeUri()
    {
        var dir = Project();
        var output = Path.Combine(dir, ".lambdaslim", "build");
        var zips = new Dictionary<string, string> { ["Fn"] = "functions/Fn.zip", ["Fn3"] = "functions/Fn3.zip", ["Fn4"] = "functions/Fn4.zip" };
        var lines = YamlShape.Lines(TemplateRewriter.Rewrite(Path.Combine(dir, "template.yaml"), output, zips));
        lines.ShouldContain("/Resources/Fn/Properties/CodeUri - functions/Fn.zip");
        lines.ShouldContain("/Resources/Fn3/Properties/CodeUri - functions/Fn3.zip");
        lines.ShouldContain("/Resources/Fn4/Properties/CodeUri - functions/Fn4.zip");
        lines.ShouldContain("/Resources/Fn4/Properties/Handler - app.other");
        lines.ShouldContain("/Resources/Fn4/Properties/Timeout - 5");
        lines.ShouldNotContain(l => l.Contains("<<"));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_real_build_deploys_each_functions_own_package_and_passes_cfn_lint()
    {
        var dir = Project();
        (CfnLint.Run(Path.Combine(dir, "template.yaml")).Code).ShouldBe(0, "cfn-lint accepts the aliases and the merge key as written");
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());
        result.Failed.ShouldBeFalse(string.Join("\n", result.Findings));

        var output = Path.Combine(dir, ".lambdaslim", "build");
        var template = Path.Combine(output, "template.yaml");
        var lines = YamlShape.Lines(File.ReadAllText(template));
        lines.ShouldContain("/Resources/Fn/Properties/CodeUri - functions/Fn.zip");
        lines.ShouldContain("/Resources/Fn3/Properties/CodeUri - functions/Fn3.zip");
        lines.ShouldContain("/Resources/Fn4/Properties/CodeUri - functions/Fn4.zip");
        var (code, lint) = CfnLint.Run(template);
        code.ShouldBe(0, lint);

        List<string> Names(string id)
        {
            using var zip = ZipFile.OpenRead(Path.Combine(output, "functions", $"{id}.zip"));
            return zip.Entries.Select(e => e.FullName).ToList();
        }
        Names("Fn").ShouldContain("data/model.json");
        Names("Fn").ShouldContain("six.py");
        Names("Fn3").ShouldNotContain("data/model.json", "Fn3's own settings exclude data/**");
        Names("Fn3").ShouldContain("six.py");
        Names("Fn4").ShouldContain("data/model.json");
        result.Report.Functions.Single(f => f.LogicalId == "Fn").Sha256.ShouldNotBe(result.Report.Functions.Single(f => f.LogicalId == "Fn3").Sha256);
        result.Report.Totals.Single(t => t.LogicalId == "Fn4").Handler.ShouldBe("app.other");
    }

    /// <summary>A template in a temp folder, rewritten for the usual output folder; the result as YamlShape lines.</summary>
    private static List<string> Rewritten(string template, IReadOnlyDictionary<string, string>? builtZips = null)
    {
        var dir = TestEnvironment.NewTempDir("rebase");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), template);
        var output = Path.Combine(dir, ".lambdaslim", "build");
        return YamlShape.Lines(TemplateRewriter.Rewrite(Path.Combine(dir, "template.yaml"), output, builtZips ?? new Dictionary<string, string>()));
    }

    private static string OneResource(string type, string properties) =>
        $"Transform: AWS::Serverless-2016-10-31\nResources:\n  It:\n    Type: {type}\n    Properties: {properties}\n";

    [Theory]
    [InlineData("AWS::Serverless::Function", "{CodeUri: in/src, Runtime: nodejs20.x, Handler: app.handler}", "CodeUri")]
    [InlineData("AWS::Serverless::LayerVersion", "{ContentUri: in/src}", "ContentUri")]
    [InlineData("AWS::Serverless::Api", "{StageName: prod, DefinitionUri: in/src}", "DefinitionUri")]
    [InlineData("AWS::Serverless::HttpApi", "{DefinitionUri: in/src}", "DefinitionUri")]
    [InlineData("AWS::Serverless::StateMachine", "{DefinitionUri: in/src}", "DefinitionUri")]
    [InlineData("AWS::Serverless::Application", "{Location: in/src}", "Location")]
    [InlineData("AWS::Serverless::GraphQLApi", "{SchemaUri: in/src}", "SchemaUri")]
    [InlineData("AWS::Serverless::GraphQLApi", "{Resolvers: {Query: {getPost: {Runtime: {Name: APPSYNC_JS}, CodeUri: in/src}}}}", "Resolvers/Query/getPost/CodeUri")]
    [InlineData("AWS::Serverless::GraphQLApi", "{Functions: {fetch: {DataSource: Posts, CodeUri: in/src}}}", "Functions/fetch/CodeUri")]
    [InlineData("AWS::Lambda::Function", "{Code: in/src, Runtime: nodejs20.x, Handler: app.handler}", "Code")]
    [InlineData("AWS::Lambda::LayerVersion", "{Content: in/src}", "Content")]
    [InlineData("AWS::ApiGateway::RestApi", "{BodyS3Location: in/src}", "BodyS3Location")]
    [InlineData("AWS::ApiGatewayV2::Api", "{BodyS3Location: in/src}", "BodyS3Location")]
    [InlineData("AWS::StepFunctions::StateMachine", "{DefinitionS3Location: in/src}", "DefinitionS3Location")]
    [InlineData("AWS::AppSync::GraphQLSchema", "{ApiId: x, DefinitionS3Location: in/src}", "DefinitionS3Location")]
    [InlineData("AWS::AppSync::Resolver", "{RequestMappingTemplateS3Location: in/src}", "RequestMappingTemplateS3Location")]
    [InlineData("AWS::AppSync::Resolver", "{ResponseMappingTemplateS3Location: in/src}", "ResponseMappingTemplateS3Location")]
    [InlineData("AWS::AppSync::Resolver", "{CodeS3Location: in/src}", "CodeS3Location")]
    [InlineData("AWS::AppSync::FunctionConfiguration", "{RequestMappingTemplateS3Location: in/src}", "RequestMappingTemplateS3Location")]
    [InlineData("AWS::AppSync::FunctionConfiguration", "{ResponseMappingTemplateS3Location: in/src}", "ResponseMappingTemplateS3Location")]
    [InlineData("AWS::AppSync::FunctionConfiguration", "{CodeS3Location: in/src}", "CodeS3Location")]
    [InlineData("AWS::Glue::Job", "{Role: r, Command: {Name: glueetl, ScriptLocation: in/src}}", "Command/ScriptLocation")]
    [InlineData("AWS::ElasticBeanstalk::ApplicationVersion", "{ApplicationName: a, SourceBundle: in/src}", "SourceBundle")]
    [InlineData("AWS::CodeCommit::Repository", "{RepositoryName: r, Code: {S3: in/src}}", "Code/S3")]
    [InlineData("AWS::CloudFormation::Stack", "{TemplateURL: in/src}", "TemplateURL")]
    [InlineData("AWS::CloudFormation::StackSet", "{TemplateURL: in/src}", "TemplateURL")]
    [InlineData("AWS::CloudFormation::ModuleVersion", "{ModuleName: A::B::C::MODULE, ModulePackage: in/src}", "ModulePackage")]
    [InlineData("AWS::CloudFormation::ResourceVersion", "{TypeName: A::B::C, SchemaHandlerPackage: in/src}", "SchemaHandlerPackage")]
    public void Each_packaged_local_path_is_made_relative_to_the_output_folder(string type, string properties, string path)
    {
        var lines = Rewritten(OneResource(type, properties));
        lines.ShouldContain($"/Resources/It/Properties/{path} - ../../in/src");
    }

    [Fact]
    public void Serverless_repo_metadata_license_and_readme_are_made_relative_to_the_output_folder()
    {
        var lines = Rewritten("""
            Transform: AWS::Serverless-2016-10-31
            Metadata:
              AWS::ServerlessRepo::Application: {Name: app, LicenseUrl: LICENSE.txt, ReadmeUrl: docs/README.md}
            Resources:
              Topic: {Type: AWS::SNS::Topic}
            """);
        lines.ShouldContain("/Metadata/AWS::ServerlessRepo::Application/LicenseUrl - ../../LICENSE.txt");
        lines.ShouldContain("/Metadata/AWS::ServerlessRepo::Application/ReadmeUrl - ../../docs/README.md");
        lines.ShouldContain("/Metadata/AWS::ServerlessRepo::Application/Name - app");
    }

    [Fact]
    public void An_aws_include_location_is_made_relative_wherever_it_stands_in_long_or_short_form()
    {
        var lines = Rewritten("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn::Transform: {Name: AWS::Include, Parameters: {Location: snippets/resources.yaml}}
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
                  DefinitionBody:
                    Fn::Transform: {Name: AWS::Include, Parameters: {Location: api.yaml}}
              HttpApi:
                Type: AWS::Serverless::HttpApi
                Properties:
                  DefinitionBody: !Transform {Name: AWS::Include, Parameters: {Location: ./api/http.yaml}}
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  Fn::Transform: {Name: AWS::Include, Parameters: {Location: bucket-props.yaml}}
              Remote:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
                  DefinitionBody:
                    Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/api.yaml}}
              Other:
                Type: AWS::S3::Bucket
                Properties:
                  Fn::Transform: {Name: Company::Macro, Parameters: {Location: not-a-file}}
            Outputs:
              Fn::Transform: {Name: AWS::Include, Parameters: {Location: outputs.yaml}}
            """);
        lines.ShouldContain("/Resources/Fn::Transform/Parameters/Location - ../../snippets/resources.yaml");
        lines.ShouldContain("/Resources/Api/Properties/DefinitionBody/Fn::Transform/Parameters/Location - ../../api.yaml");
        lines.ShouldContain("/Resources/HttpApi/Properties/DefinitionBody !Transform {");
        lines.ShouldContain("/Resources/HttpApi/Properties/DefinitionBody/Parameters/Location - ../../api/http.yaml");
        lines.ShouldContain("/Resources/Bucket/Properties/Fn::Transform/Parameters/Location - ../../bucket-props.yaml");
        lines.ShouldContain("/Resources/Remote/Properties/DefinitionBody/Fn::Transform/Parameters/Location - s3://bucket/api.yaml");
        lines.ShouldContain("/Resources/Other/Properties/Fn::Transform/Parameters/Location - not-a-file");
        lines.ShouldContain("/Outputs/Fn::Transform/Parameters/Location - ../../outputs.yaml");
    }

    [Theory]
    [InlineData("s3://bucket/code.zip", "- s3://bucket/code.zip")]
    [InlineData("https://bucket.s3.amazonaws.com/app.yaml", "- https://bucket.s3.amazonaws.com/app.yaml")]
    [InlineData("/opt/shared/app.yaml", "- /opt/shared/app.yaml")]
    [InlineData("!Ref NestedTemplate", "!Ref NestedTemplate")]
    [InlineData("!Sub '${Folder}/app.yaml'", "!Sub ${Folder}/app.yaml")]
    public void Urls_absolute_paths_and_intrinsics_are_left_as_written(string value, string expected)
    {
        var lines = Rewritten(OneResource("AWS::Serverless::Application", $"\n      Location: {value}"));
        lines.ShouldContain($"/Resources/It/Properties/Location {expected}");
    }

    [Fact]
    public void S3_location_objects_and_long_form_intrinsics_are_left_as_written()
    {
        var lines = Rewritten("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Machine:
                Type: AWS::StepFunctions::StateMachine
                Properties: {RoleArn: r, DefinitionS3Location: {Bucket: defs, Key: flow.json}}
              Fn:
                Type: AWS::Lambda::Function
                Properties: {Role: r, Code: {ZipFile: "def handler(e, c): pass"}}
              App:
                Type: AWS::Serverless::Application
                Properties: {Location: {ApplicationId: arn:aws:serverlessrepo:us-east-1:1:applications/x, SemanticVersion: 1.0.0}}
              Stack:
                Type: AWS::CloudFormation::Stack
                Properties: {TemplateURL: {"Fn::Sub": "https://${Bucket}.s3.amazonaws.com/app.yaml"}}
            """);
        lines.ShouldContain("/Resources/Machine/Properties/DefinitionS3Location/Key - flow.json");
        lines.ShouldContain("/Resources/Fn/Properties/Code/ZipFile - def handler(e, c): pass");
        lines.ShouldContain("/Resources/App/Properties/Location/SemanticVersion - 1.0.0");
        lines.ShouldContain("/Resources/Stack/Properties/TemplateURL/Fn::Sub - https://${Bucket}.s3.amazonaws.com/app.yaml");
    }

    [Fact]
    public void A_trailing_slash_is_kept_and_a_missing_path_still_names_the_users_folder()
    {
        var lines = Rewritten("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn: {Type: AWS::Serverless::Function, Properties: {CodeUri: ./src/, Runtime: nodejs20.x, Handler: app.handler}}
              Here: {Type: AWS::Serverless::Function, Properties: {CodeUri: ., Runtime: nodejs20.x, Handler: app.handler}}
              Gone: {Type: AWS::Serverless::Api, Properties: {StageName: prod, DefinitionUri: ../elsewhere/missing.yaml}}
            """);
        lines.ShouldContain("/Resources/Fn/Properties/CodeUri - ../../src/");
        lines.ShouldContain("/Resources/Here/Properties/CodeUri - ../..");
        // SAM's own error then names the same missing file the user's template named.
        lines.ShouldContain("/Resources/Gone/Properties/DefinitionUri - ../../../elsewhere/missing.yaml");
    }

    [Fact]
    public void A_resource_the_packagers_would_zip_the_template_folder_for_names_that_folder()
    {
        var lines = Rewritten("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Bare: {Type: AWS::Serverless::Function, Properties: {Runtime: nodejs20.x, Handler: app.handler}}
              Empty: {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: ""}}
              Raw: {Type: AWS::Lambda::Function, Properties: {Runtime: nodejs20.x, Handler: app.handler, Role: r}}
              Inline: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: index.handler, InlineCode: "def handler(e, c): pass"}}
              Image: {Type: AWS::Serverless::Function, Properties: {PackageType: Image, ImageUri: app:latest}}
              Api: {Type: AWS::Serverless::Api, Properties: {StageName: prod, DefinitionBody: {openapi: 3.0.1}}}
            """);
        lines.ShouldContain("/Resources/Bare/Properties/CodeUri - ../..");
        lines.ShouldContain("/Resources/Empty/Properties/ContentUri - ../..");
        lines.ShouldContain("/Resources/Raw/Properties/Code - ../..");
        lines.ShouldNotContain(l => l.StartsWith("/Resources/Inline/Properties/CodeUri", StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.StartsWith("/Resources/Image/Properties/CodeUri", StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.StartsWith("/Resources/Api/Properties/DefinitionUri", StringComparison.Ordinal));
    }

    [Fact]
    public void A_function_without_CodeUri_takes_the_global_one_which_is_made_relative()
    {
        var lines = Rewritten("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: {CodeUri: src/, Runtime: nodejs20.x}
              Api: {DefinitionUri: api.yaml}
            Resources:
              Fn: {Type: AWS::Serverless::Function, Properties: {Handler: app.handler}}
            """);
        lines.ShouldContain("/Globals/Function/CodeUri - ../../src/");
        lines.ShouldContain("/Globals/Api/DefinitionUri - ../../api.yaml");
        lines.ShouldNotContain(l => l.StartsWith("/Resources/Fn/Properties/CodeUri", StringComparison.Ordinal));
    }

    [Fact]
    public void A_function_without_CodeUri_is_left_without_one_when_globals_make_every_function_an_image()
    {
        var lines = Rewritten("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: {PackageType: Image, Timeout: 10}
            Resources:
              Fn: {Type: AWS::Serverless::Function, Properties: {ImageConfig: {Command: [app.handler]}}}
              Layer: {Type: AWS::Serverless::LayerVersion, Properties: {CompatibleRuntimes: [python3.12]}}
            """);
        lines.ShouldNotContain(l => l.StartsWith("/Resources/Fn/Properties/CodeUri", StringComparison.Ordinal));
        lines.ShouldContain("/Resources/Layer/Properties/ContentUri - ../..", "a layer without ContentUri is still packaged from the template's folder");
    }

    [Fact]
    public void Resources_inside_fn_foreach_are_made_relative_too()
    {
        var lines = Rewritten("""
            Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
            Resources:
              Fn::ForEach::Topics:
                - Name
                - [Orders, Invoices]
                - ${Name}Function:
                    Type: AWS::Serverless::Function
                    Properties: {CodeUri: "./functions/${Name}", Runtime: nodejs20.x, Handler: app.handler}
            """);
        lines.ShouldContain("/Resources/Fn::ForEach::Topics[2]/${Name}Function/Properties/CodeUri - ../../functions/${Name}");
    }

    [Fact]
    public void A_built_plain_lambda_function_and_layer_point_their_code_at_the_zips()
    {
        var zips = new Dictionary<string, string> { ["Raw"] = "functions/Raw.zip", ["RawLayer"] = "layers/RawLayer.zip", ["Fn"] = "functions/Fn.zip" };
        var lines = Rewritten("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Raw: {Type: AWS::Lambda::Function, Properties: {Code: src/, Runtime: python3.12, Handler: app.handler, Role: r}}
              RawLayer: {Type: AWS::Lambda::LayerVersion, Properties: {Content: layer/, CompatibleRuntimes: [python3.12]}}
              Fn: {Type: AWS::Serverless::Function, Properties: {CodeUri: src/, Runtime: python3.12, Handler: app.handler}}
            """, zips);
        lines.ShouldContain("/Resources/Raw/Properties/Code - functions/Raw.zip");
        lines.ShouldContain("/Resources/RawLayer/Properties/Content - layers/RawLayer.zip");
        lines.ShouldContain("/Resources/Fn/Properties/CodeUri - functions/Fn.zip");
        lines.ShouldNotContain(l => l.Contains("/Raw/Properties/CodeUri", StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.Contains("/RawLayer/Properties/ContentUri", StringComparison.Ordinal));
    }

    [Fact]
    public void An_image_archive_is_made_relative_and_an_image_name_is_left_as_written()
    {
        var dir = TestEnvironment.NewTempDir("images");
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        File.WriteAllText(Path.Combine(dir, "images", "app.tar"), "an image archive");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Archive: {Type: AWS::Serverless::Function, Properties: {PackageType: Image, ImageUri: images/app.tar}}
              Named: {Type: AWS::Serverless::Function, Properties: {PackageType: Image, ImageUri: app:latest}}
              Raw: {Type: AWS::Lambda::Function, Properties: {PackageType: Image, Role: r, Code: {ImageUri: images/app.tar}}}
              Zip: {Type: AWS::Serverless::Function, Properties: {CodeUri: src/, ImageUri: images/app.tar, Runtime: nodejs20.x, Handler: a.h}}
            """);
        var lines = YamlShape.Lines(TemplateRewriter.Rewrite(Path.Combine(dir, "template.yaml"), Path.Combine(dir, ".lambdaslim", "build"), new Dictionary<string, string>()));
        lines.ShouldContain("/Resources/Archive/Properties/ImageUri - ../../images/app.tar");
        lines.ShouldContain("/Resources/Named/Properties/ImageUri - app:latest");
        lines.ShouldContain("/Resources/Raw/Properties/Code/ImageUri - ../../images/app.tar");
        lines.ShouldContain("/Resources/Zip/Properties/CodeUri - ../../src/");
        lines.ShouldContain("/Resources/Zip/Properties/ImageUri - images/app.tar", "a zip function's ImageUri is not packaged");
    }

    [Fact]
    public void The_folders_sam_build_reads_from_a_resources_metadata_are_made_relative()
    {
        var lines = Rewritten("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Image:
                Type: AWS::Serverless::Function
                Properties: {PackageType: Image}
                Metadata: {Dockerfile: Dockerfile, DockerContext: ./img, DockerTag: v1}
              Made:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/, Handler: app.handler, Runtime: provided.al2023}
                Metadata: {BuildMethod: makefile, ContextPath: build/, ProjectRootDirectory: ., WorkingDirectory: src/tools}
            """);
        lines.ShouldContain("/Resources/Image/Metadata/DockerContext - ../../img");
        lines.ShouldContain("/Resources/Image/Metadata/Dockerfile - Dockerfile", "the Dockerfile is found in the DockerContext");
        lines.ShouldContain("/Resources/Image/Metadata/DockerTag - v1");
        lines.ShouldContain("/Resources/Made/Metadata/ContextPath - ../../build/");
        lines.ShouldContain("/Resources/Made/Metadata/ProjectRootDirectory - ../..");
        lines.ShouldContain("/Resources/Made/Metadata/WorkingDirectory - ../../src/tools");
        lines.ShouldContain("/Resources/Made/Metadata/BuildMethod - makefile");
    }
}
