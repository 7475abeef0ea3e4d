using LambdaSlim.Project;

namespace LambdaSlim.Pipeline;

/// <summary>
/// A property that <c>sam package</c> or <c>aws cloudformation package</c> uploads to S3 when it holds a local path.
/// The rewritten template must point each of them at the same file or folder as the user's template did.
/// </summary>
/// <param name="Type">The resource type, or for <see cref="Metadata"/> the key under the template's top-level Metadata.</param>
/// <param name="Path">Keys under Properties, separated by dots; <c>**</c> stands for any depth of nested mappings.</param>
/// <param name="PackagedWhenAbsent">
/// When the property is missing or empty, the packager zips and uploads the template's own folder.
/// </param>
/// <param name="Image">
/// Read only for <c>PackageType: Image</c> (the others only for zip resources); it names an image unless a local
/// file (an image archive) is there.
/// </param>
public sealed record PackageableProperty(string Type, string Path, bool PackagedWhenAbsent = false, bool Image = false)
{
    /// <summary>
    /// The union of SAM CLI's <c>RESOURCES_WITH_LOCAL_PATHS</c> (samcli/lib/utils/resources.py, with the exporters
    /// in samcli/lib/package/packageable_resources.py and artifact_exporter.py) and awscli's
    /// <c>RESOURCES_EXPORT_LIST</c> (awscli/customizations/cloudformation/artifact_exporter.py).
    /// </summary>
    public static IReadOnlyList<PackageableProperty> Resources { get; } =
    [
        new("AWS::Serverless::Function", "CodeUri", PackagedWhenAbsent: true),
        new("AWS::Serverless::Function", "ImageUri", Image: true),
        new("AWS::Serverless::LayerVersion", "ContentUri", PackagedWhenAbsent: true),
        new("AWS::Serverless::Api", "DefinitionUri"),
        new("AWS::Serverless::HttpApi", "DefinitionUri"),
        new("AWS::Serverless::StateMachine", "DefinitionUri"),
        new("AWS::Serverless::Application", "Location"),
        new("AWS::Serverless::GraphQLApi", "SchemaUri"),
        new("AWS::Serverless::GraphQLApi", "Resolvers.**.CodeUri"),
        new("AWS::Serverless::GraphQLApi", "Functions.**.CodeUri"),
        new("AWS::Lambda::Function", "Code", PackagedWhenAbsent: true),
        new("AWS::Lambda::Function", "Code.ImageUri", Image: true),
        new("AWS::Lambda::LayerVersion", "Content", PackagedWhenAbsent: true),
        new("AWS::ApiGateway::RestApi", "BodyS3Location"),
        new("AWS::ApiGatewayV2::Api", "BodyS3Location"),
        new("AWS::StepFunctions::StateMachine", "DefinitionS3Location"),
        new("AWS::AppSync::GraphQLSchema", "DefinitionS3Location"),
        new("AWS::AppSync::Resolver", "RequestMappingTemplateS3Location"),
        new("AWS::AppSync::Resolver", "ResponseMappingTemplateS3Location"),
        new("AWS::AppSync::Resolver", "CodeS3Location"),
        new("AWS::AppSync::FunctionConfiguration", "RequestMappingTemplateS3Location"),
        new("AWS::AppSync::FunctionConfiguration", "ResponseMappingTemplateS3Location"),
        new("AWS::AppSync::FunctionConfiguration", "CodeS3Location"),
        new("AWS::Glue::Job", "Command.ScriptLocation", PackagedWhenAbsent: true),
        new("AWS::ElasticBeanstalk::ApplicationVersion", "SourceBundle", PackagedWhenAbsent: true),
        new("AWS::CodeCommit::Repository", "Code.S3"),
        new("AWS::CloudFormation::Stack", "TemplateURL"),
        new("AWS::CloudFormation::StackSet", "TemplateURL"),
        new("AWS::CloudFormation::ModuleVersion", "ModulePackage", PackagedWhenAbsent: true),
        new("AWS::CloudFormation::ResourceVersion", "SchemaHandlerPackage", PackagedWhenAbsent: true),
    ];

    /// <summary>Entries under the template's top-level Metadata (SAM's and awscli's <c>METADATA_EXPORT_LIST</c>).</summary>
    public static IReadOnlyList<PackageableProperty> Metadata { get; } =
    [
        new("AWS::ServerlessRepo::Application", "LicenseUrl"),
        new("AWS::ServerlessRepo::Application", "ReadmeUrl"),
    ];

    /// <summary>
    /// Keys of a resource's own Metadata that <c>sam build</c> reads as folders relative to the template
    /// (samcli/lib/build/app_builder.py, samcli/lib/providers/sam_function_provider.py). Dockerfile is relative to DockerContext.
    /// </summary>
    public static IReadOnlyList<string> BuildMetadata { get; } = ["DockerContext", "ContextPath", "ProjectRootDirectory", "WorkingDirectory"];

    /// <summary>Where a zip LambdaSlim built goes, by the type of the resource it was built for: a local zip path works in each.</summary>
    public static IReadOnlyDictionary<string, string> BuiltArtifact { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ProjectLoader.FunctionType] = "CodeUri",
        [ProjectLoader.LayerType] = "ContentUri",
        [ProjectLoader.PlainFunctionType] = "Code",
        [ProjectLoader.PlainLayerType] = "Content",
    };
}
