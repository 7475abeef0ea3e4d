using LambdaSlim.Project;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Build;

/// <summary>
/// Produces the template that sits next to the zips: CodeUri and ContentUri of what LambdaSlim built point at
/// its zips, and every other local path is made relative to the new location, so
/// <c>sam deploy -t .lambdaslim/build/template.yaml</c> works unchanged. Nothing else is touched.
/// </summary>
public static class TemplateRewriter
{
    /// <summary>Properties that hold a local path SAM or `aws cloudformation package` uploads, by resource type.</summary>
    private static readonly Dictionary<string, string[]> LocalPathProperties = new(StringComparer.Ordinal)
    {
        ["AWS::Serverless::Function"] = ["CodeUri"],
        ["AWS::Serverless::LayerVersion"] = ["ContentUri"],
        ["AWS::Serverless::Api"] = ["DefinitionUri"],
        ["AWS::Serverless::HttpApi"] = ["DefinitionUri"],
        ["AWS::Serverless::StateMachine"] = ["DefinitionUri"],
        ["AWS::Serverless::Application"] = ["Location"],
        ["AWS::Serverless::GraphQLApi"] = ["SchemaUri"],
        ["AWS::Lambda::Function"] = ["Code"],
        ["AWS::Lambda::LayerVersion"] = ["Content"],
        ["AWS::CloudFormation::Stack"] = ["TemplateURL"],
        ["AWS::ApiGateway::RestApi"] = ["BodyS3Location"],
        ["AWS::StepFunctions::StateMachine"] = ["DefinitionS3Location"],
        ["AWS::AppSync::GraphQLSchema"] = ["DefinitionS3Location"],
    };

    /// <param name="builtZips">Logical ID → the zip's path relative to the output folder, for every artifact that exists.</param>
    public static string Rewrite(string templatePath, string outputDir, IReadOnlyDictionary<string, string> builtZips)
    {
        // Work on a fresh copy: the loaded model stays as the user wrote it. Loading expands YAML aliases and merge
        // keys into copies, so functions that shared one Properties node each get their own CodeUri here.
        var template = SamTemplate.Load(templatePath);
        var templateDir = Path.GetDirectoryName(Path.GetFullPath(templatePath))!;

        foreach (var (key, value) in template.Resources.Children)
        {
            if (value is not YamlMappingNode resource) continue;
            var id = ((YamlScalarNode)key).Value!;
            var type = SamTemplate.Scalar(SamTemplate.Child(resource, "Type")) ?? "";
            if (!LocalPathProperties.TryGetValue(type, out var properties)) continue;
            var props = SamTemplate.Child(resource, "Properties") as YamlMappingNode;
            if (builtZips.TryGetValue(id, out var zip))
            {
                if (props is null) { props = new YamlMappingNode(); SamTemplate.Set(resource, "Properties", props); }
                SamTemplate.Set(props, BuiltCodeProperty(type), new YamlScalarNode(zip));
                continue;
            }
            foreach (var property in properties) Relocate(props, property, templateDir, outputDir);
        }
        if (template.GlobalsFunction is { } globals) Relocate(globals, "CodeUri", templateDir, outputDir);
        if (SamTemplate.Child(SamTemplate.Child(template.Root, "Globals"), "Api") is YamlMappingNode api)
            Relocate(api, "DefinitionUri", templateDir, outputDir);
        return template.Serialize();
    }

    /// <summary>The property that holds a built resource's code: a local zip path works in each (SAM and `aws cloudformation package` upload it).</summary>
    private static string BuiltCodeProperty(string type) => type switch
    {
        ProjectLoader.LayerType => "ContentUri",
        ProjectLoader.PlainLayerType => "Content",
        ProjectLoader.PlainFunctionType => "Code",
        _ => "CodeUri",
    };

    private static void Relocate(YamlMappingNode? props, string property, string templateDir, string outputDir)
    {
        if (props is null || SamTemplate.Child(props, property) is not YamlScalarNode node) return;
        var value = SamTemplate.Scalar(node);
        if (value is null || value.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(value)) return;
        var full = Path.GetFullPath(value, templateDir);
        var relative = Path.GetRelativePath(outputDir, full).Replace('\\', '/');
        if (value.EndsWith('/') && !relative.EndsWith('/')) relative += "/";
        SamTemplate.Set(props, property, new YamlScalarNode(relative));
    }
}
