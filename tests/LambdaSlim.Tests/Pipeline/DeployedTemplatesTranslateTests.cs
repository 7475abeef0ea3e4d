using System.Text.Json.Nodes;
using LambdaSlim.Aws;
using LambdaSlim.Model;
using LambdaSlim.Pipeline;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// Every kind of template `lambdaslim deploy` writes, for the example project: the deployed template with S3 URIs, one
/// whose layers are shared (LayerVersionPermissions), and the two stage templates of --layers-first. Each passes
/// cfn-lint and is translated by aws-sam-translator into the AWS::Lambda resources it must become.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ExampleBuildCollection.Name)]
public class DeployedTemplatesTranslateTests(ExampleBuildFixture example)
{
    private static readonly string[] FunctionIds = ["DataValidationFunction", "FeatureEngineeringFunction", "PredictionsFunction"];
    private static readonly string[] LayerIds = ["CoreDataScienceLayer", "MLLibrariesLayer", "AWSUtilitiesLayer"];

    /// <summary>The example's zips as if uploaded; <paramref name="previous"/> gives the changed ones other content addresses.</summary>
    private Dictionary<string, S3Artifact> Uploads(Func<ArtifactReport, bool>? previous = null)
    {
        var report = BuildReport.TryLoad(new BuildPaths(example.ProjectDir).Report).ShouldNotBeNull();
        return report.Layers.Concat(report.Functions).ToDictionary(a => example.Output(a.Zip), a =>
        {
            var sha = previous?.Invoke(a) == true ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(a.Sha256))) : a.Sha256;
            return new S3Artifact("artifacts-bucket", $"app/{sha}.zip", sha, a.ZippedBytes, Uploaded: true);
        });
    }

    private static string Write(string yaml, string name)
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("deployed"), name);
        File.WriteAllText(path, yaml);
        var (code, output) = CfnLint.Run(path);
        code.ShouldBe(0, $"{name}: {output}");
        return path;
    }

    private static string? RefOf(JsonNode? node) => node?["Ref"]?.GetValue<string>();

    [Fact]
    public void The_deployed_template_with_S3_uris_becomes_three_functions_on_three_layers_in_S3()
    {
        var uploads = Uploads();
        var translated = SamTranslator.Translate(Write(S3TemplateRewriter.Rewrite(example.Output("template.yaml"), uploads).Yaml, "deployed.yaml"));

        var functions = SamTranslator.OfType(translated, "AWS::Lambda::Function");
        functions.Keys.ShouldBe(FunctionIds, ignoreOrder: true);
        var layers = SamTranslator.OfType(translated, "AWS::Lambda::LayerVersion");
        layers.Count.ShouldBe(3);
        foreach (var id in LayerIds) layers.Keys.ShouldContain(k => k.StartsWith(id, StringComparison.Ordinal) && k.Length == id.Length + 10);
        var keys = uploads.Values.Select(u => u.Key).ToHashSet();
        foreach (var (_, function) in functions)
        {
            function["Properties"]!["Code"]!["S3Bucket"]!.GetValue<string>().ShouldBe("artifacts-bucket");
            keys.ShouldContain(function["Properties"]!["Code"]!["S3Key"]!.GetValue<string>());
            function["Properties"]!["Layers"]!.AsArray().Select(RefOf).ShouldAllBe(r => r != null && layers.ContainsKey(r));
        }
        layers.Values.ShouldAllBe(l => keys.Contains(l["Properties"]!["Content"]!["S3Key"]!.GetValue<string>()));
    }

    [Fact]
    public void A_shared_layer_gets_a_permission_per_principal_on_the_version_SAM_publishes()
    {
        var packaged = S3TemplateRewriter.Rewrite(example.Output("template.yaml"), Uploads(),
            new Dictionary<string, IReadOnlyList<string>> { ["CoreDataScienceLayer"] = ["123456789012", "o-a1b2c3d4e5"] });
        var translated = SamTranslator.Translate(Write(packaged.Yaml, "shared.yaml"));

        var layer = SamTranslator.OfType(translated, "AWS::Lambda::LayerVersion").Keys.Single(k => k.StartsWith("CoreDataScienceLayer", StringComparison.Ordinal));
        var permissions = SamTranslator.OfType(translated, "AWS::Lambda::LayerVersionPermission");
        permissions.Keys.ShouldBe(["CoreDataScienceLayerShare1", "CoreDataScienceLayerShare2"], ignoreOrder: true);
        permissions.Values.ShouldAllBe(p => RefOf(p["Properties"]!["LayerVersionArn"]) == layer);
        permissions["CoreDataScienceLayerShare1"]["Properties"]!["Principal"]!.GetValue<string>().ShouldBe("123456789012");
        permissions["CoreDataScienceLayerShare2"]["Properties"]!["OrganizationId"]!.GetValue<string>().ShouldBe("o-a1b2c3d4e5");
    }

    [Fact]
    public void The_layers_first_stages_publish_the_new_layers_first_then_move_the_functions_onto_them()
    {
        // The stack runs an older build: two layers and every function had other zips.
        bool Changed(ArtifactReport a) => a.LogicalId != "AWSUtilitiesLayer";
        var current = S3TemplateRewriter.Rewrite(example.Output("template.yaml"), Uploads(Changed)).Yaml;
        var uploads = Uploads();
        var next = S3TemplateRewriter.Rewrite(example.Output("template.yaml"), uploads).Yaml;

        var plan = LayersFirst.Plan(current, next, uploads.Values.ToDictionary(u => u.S3Uri, u => u.Sha256));

        plan.Staged.ShouldBeTrue(plan.SingleBecause);
        var hashed = plan.ChangedLayers;
        hashed.Keys.ShouldBe(["CoreDataScienceLayer", "MLLibrariesLayer"], ignoreOrder: true);
        plan.ChangedFunctions.ShouldBe(FunctionIds, ignoreOrder: true);
        var before = SamTranslator.Translate(Write(current, "current.yaml"));
        var stage1 = SamTranslator.Translate(Write(plan.Stage1!, "stage1.yaml"));
        var stage2 = SamTranslator.Translate(Write(plan.Stage2!, "stage2.yaml"));

        // Stage 1: the running functions and layers exactly as before, plus the new layer versions nothing uses yet.
        var layers1 = SamTranslator.OfType(stage1, "AWS::Lambda::LayerVersion");
        var layersBefore = SamTranslator.OfType(before, "AWS::Lambda::LayerVersion");
        layers1.Keys.Order().ShouldBe(layersBefore.Keys.Concat(hashed.Values).Order());
        SamTranslator.OfType(stage1, "AWS::Lambda::Function").ToDictionary(f => f.Key, f => f.Value.ToJsonString())
            .ShouldBe(SamTranslator.OfType(before, "AWS::Lambda::Function").ToDictionary(f => f.Key, f => f.Value.ToJsonString()));
        foreach (var (id, newId) in hashed)
        {
            var layer = layers1[newId];
            layer["Properties"]!["Content"]!["S3Key"]!.GetValue<string>().ShouldBe(uploads[example.Output($"layers/{id}.zip")].Key);
            layer["DeletionPolicy"]!.GetValue<string>().ShouldBe("Retain", "the example's RetentionPolicy");
            layer["Properties"]!["CompatibleRuntimes"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["python3.11"]);
        }

        // Stage 2: the same new layer resources, unchanged, and the functions on them with their new code.
        var layers2 = SamTranslator.OfType(stage2, "AWS::Lambda::LayerVersion");
        foreach (var newId in hashed.Values) layers2[newId].ToJsonString().ShouldBe(layers1[newId].ToJsonString());
        var utilities = layers2.Keys.Single(k => k.StartsWith("AWSUtilitiesLayer", StringComparison.Ordinal));
        layersBefore.Keys.ShouldContain(utilities, "an unchanged layer keeps the version it has");
        layers2.Count.ShouldBe(3);
        var functions = SamTranslator.OfType(stage2, "AWS::Lambda::Function");
        functions.Keys.ShouldBe(FunctionIds, ignoreOrder: true);
        functions["DataValidationFunction"]["Properties"]!["Layers"]!.AsArray().Select(RefOf).ShouldBe([hashed["CoreDataScienceLayer"], utilities]);
        functions["PredictionsFunction"]["Properties"]!["Layers"]!.AsArray().Select(RefOf).ShouldContain(hashed["MLLibrariesLayer"]);
        foreach (var id in FunctionIds)
            functions[id]["Properties"]!["Code"]!["S3Key"]!.GetValue<string>().ShouldBe(uploads[example.Output($"functions/{id}.zip")].Key);
    }
}
