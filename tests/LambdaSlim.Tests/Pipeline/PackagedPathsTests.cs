using System.Security.Cryptography;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Project;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// The template LambdaSlim writes to .lambdaslim/build/ still names every local file the user's template names:
/// the real <c>aws cloudformation package</c> (awscli, against moto's S3) finds and uploads each of them from there.
/// </summary>
[Trait("Category", "Integration")]
public class PackagedPathsTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Template = """
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Metadata:
          AWS::ServerlessRepo::Application:
            Name: packaged-paths
            Author: tests
            Description: every property the packagers upload
            LicenseUrl: LICENSE.txt
            ReadmeUrl: README.md
        Parameters:
          Stage: {Type: String, Default: prod}
        Resources:
          Fn::Transform:
            Name: AWS::Include
            Parameters: {Location: snippets/resources.yaml}
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: !Ref Stage
              DefinitionBody:
                Fn::Transform: {Name: AWS::Include, Parameters: {Location: api.yaml}}
          ShortApi:
            Type: AWS::Serverless::Api
            Properties:
              StageName: !Ref Stage
              DefinitionBody: !Transform {Name: AWS::Include, Parameters: {Location: ./api.yaml}}
          UriApi:
            Type: AWS::Serverless::Api
            Properties: {StageName: !Ref Stage, DefinitionUri: api.yaml}
          Node:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: src/, Handler: index.handler, Runtime: nodejs20.x}
          Layer:
            Type: AWS::Serverless::LayerVersion
            Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.12]}
          Flow:
            Type: AWS::Serverless::StateMachine
            Properties: {DefinitionUri: statemachine/flow.asl.json}
          RawFlow:
            Type: AWS::StepFunctions::StateMachine
            Properties: {RoleArn: !Sub 'arn:aws:iam::${AWS::AccountId}:role/flow', DefinitionS3Location: statemachine/flow.asl.json}
          NestedApp:
            Type: AWS::Serverless::Application
            Properties: {Location: nested/app.yaml}
          NestedStack:
            Type: AWS::CloudFormation::Stack
            Properties: {TemplateURL: nested/app.yaml}
          Job:
            Type: AWS::Glue::Job
            Properties: {Role: glue, Command: {Name: glueetl, ScriptLocation: glue/job.py}}
          Schema:
            Type: AWS::AppSync::GraphQLSchema
            Properties: {ApiId: api, DefinitionS3Location: graphql/schema.graphql}
          Resolver:
            Type: AWS::AppSync::Resolver
            Properties:
              ApiId: api
              TypeName: Query
              FieldName: getPost
              RequestMappingTemplateS3Location: graphql/request.vtl
              ResponseMappingTemplateS3Location: graphql/response.vtl
          AppSyncFunction:
            Type: AWS::AppSync::FunctionConfiguration
            Properties:
              ApiId: api
              Name: fetch
              DataSourceName: posts
              FunctionVersion: '2018-05-29'
              RequestMappingTemplateS3Location: graphql/request.vtl
              ResponseMappingTemplateS3Location: graphql/response.vtl
          RestApi:
            Type: AWS::ApiGateway::RestApi
            Properties: {BodyS3Location: api.yaml}
          RawFunction:
            Type: AWS::Lambda::Function
            Properties: {Code: lambda_src/, Handler: index.handler, Runtime: python3.12, Role: arn:aws:iam::123456789012:role/fn}
          RawLayer:
            Type: AWS::Lambda::LayerVersion
            Properties: {Content: layer/}
          Bundle:
            Type: AWS::ElasticBeanstalk::ApplicationVersion
            Properties: {ApplicationName: app, SourceBundle: beanstalk/}
          Repo:
            Type: AWS::CodeCommit::Repository
            Properties: {RepositoryName: repo, Code: {S3: codecommit/}}
        """;

    private static readonly Dictionary<string, string> Files = new()
    {
        ["template.yaml"] = Template,
        ["api.yaml"] = "openapi: 3.0.1\ninfo: {title: orders, version: '1'}\npaths: {}\n",
        ["snippets/resources.yaml"] = "IncludedTopic:\n  Type: AWS::SNS::Topic\n",
        ["src/index.js"] = "exports.handler = async () => 1;\n",
        ["layer/python/util.py"] = "VALUE = 1\n",
        ["statemachine/flow.asl.json"] = "{\"StartAt\": \"Done\", \"States\": {\"Done\": {\"Type\": \"Succeed\"}}}\n",
        ["nested/app.yaml"] = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Inner:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: src/, Handler: index.handler, Runtime: nodejs20.x}\n",
        ["nested/src/index.js"] = "exports.handler = async () => 2;\n",
        ["glue/job.py"] = "print('etl')\n",
        ["graphql/schema.graphql"] = "type Query { getPost(id: ID!): String }\n",
        ["graphql/request.vtl"] = "{\"version\": \"2018-05-29\", \"operation\": \"GetItem\"}\n",
        ["graphql/response.vtl"] = "$util.toJson($ctx.result)\n",
        ["lambda_src/index.py"] = "def handler(e, c):\n    return 3\n",
        ["beanstalk/application.py"] = "application = None\n",
        ["codecommit/README.md"] = "# repo\n",
        ["LICENSE.txt"] = "MIT\n",
        ["README.md"] = "# packaged paths\n",
    };

    private static string Project()
    {
        var dir = TestEnvironment.NewTempDir("packaged");
        foreach (var (name, text) in Files)
        {
            var path = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        return dir;
    }

    [Fact]
    public void Aws_cloudformation_package_uploads_every_local_path_of_the_rewritten_template()
    {
        var dir = Project();
        var output = Path.Combine(dir, ".lambdaslim", "build");
        Directory.CreateDirectory(output);
        var rewritten = Path.Combine(output, "template.yaml");
        File.WriteAllText(rewritten, TemplateRewriter.Rewrite(Path.Combine(dir, "template.yaml"), output, new Dictionary<string, string>()));
        YamlShape.Tags(File.ReadAllText(rewritten)).ShouldBe(YamlShape.Tags(Template), "every short-form tag, !Transform's mapping included, is kept");

        moto.Aws("s3", "mb", "s3://artifacts").ExitCode.ShouldBe(0);
        var packaged = Path.Combine(dir, "packaged.yaml");
        var (code, log) = moto.Aws("cloudformation", "package", "--template-file", rewritten,
            "--s3-bucket", "artifacts", "--output-template-file", packaged);
        code.ShouldBe(0, log);
        var lines = YamlShape.Lines(File.ReadAllText(packaged));

        // A file goes up as it is, named after its MD5: the name proves which file was found.
        string Uploaded(string file) => "s3://artifacts/" + Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(Path.Combine(dir, file))));
        string Key(string file) => Uploaded(file)["s3://artifacts/".Length..];
        foreach (var (path, file) in new[]
        {
            ("/Metadata/AWS::ServerlessRepo::Application/LicenseUrl", "LICENSE.txt"),
            ("/Metadata/AWS::ServerlessRepo::Application/ReadmeUrl", "README.md"),
            ("/Resources/Fn::Transform/Parameters/Location", "snippets/resources.yaml"),
            ("/Resources/Api/Properties/DefinitionBody/Fn::Transform/Parameters/Location", "api.yaml"),
            ("/Resources/ShortApi/Properties/DefinitionBody/Fn::Transform/Parameters/Location", "api.yaml"),
            ("/Resources/UriApi/Properties/DefinitionUri", "api.yaml"),
            ("/Resources/Job/Properties/Command/ScriptLocation", "glue/job.py"),
            ("/Resources/Schema/Properties/DefinitionS3Location", "graphql/schema.graphql"),
            ("/Resources/Resolver/Properties/RequestMappingTemplateS3Location", "graphql/request.vtl"),
            ("/Resources/Resolver/Properties/ResponseMappingTemplateS3Location", "graphql/response.vtl"),
            ("/Resources/AppSyncFunction/Properties/RequestMappingTemplateS3Location", "graphql/request.vtl"),
            ("/Resources/AppSyncFunction/Properties/ResponseMappingTemplateS3Location", "graphql/response.vtl"),
        })
            lines.ShouldContain($"{path} - {Uploaded(file)}");
        foreach (var (path, file) in new[]
        {
            ("/Resources/Flow/Properties/DefinitionUri", "statemachine/flow.asl.json"),
            ("/Resources/RawFlow/Properties/DefinitionS3Location", "statemachine/flow.asl.json"),
            ("/Resources/RestApi/Properties/BodyS3Location", "api.yaml"),
        })
        {
            lines.ShouldContain($"{path}/Bucket - artifacts");
            lines.ShouldContain($"{path}/Key - {Key(file)}");
        }
        // Folders go up zipped; the packager leaves a property as it was when it cannot find the path.
        lines.ShouldContain(l => l.StartsWith("/Resources/Node/Properties/CodeUri - s3://artifacts/", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("/Resources/Layer/Properties/ContentUri - s3://artifacts/", StringComparison.Ordinal));
        lines.ShouldContain("/Resources/RawFunction/Properties/Code/S3Bucket - artifacts");
        lines.ShouldContain("/Resources/RawLayer/Properties/Content/S3Bucket - artifacts");
        lines.ShouldContain("/Resources/Bundle/Properties/SourceBundle/S3Bucket - artifacts");
        lines.ShouldContain("/Resources/Repo/Properties/Code/S3/Bucket - artifacts");
        // Nested templates are packaged themselves, then uploaded with a path-style URL.
        foreach (var path in new[] { "/Resources/NestedApp/Properties/Location", "/Resources/NestedStack/Properties/TemplateURL" })
            lines.ShouldContain(l => l.StartsWith(path + " - ", StringComparison.Ordinal) && l.Contains("/artifacts/", StringComparison.Ordinal) && l.EndsWith(".template", StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.Contains("../", StringComparison.Ordinal), "no local path is left in the packaged template");
    }
}
