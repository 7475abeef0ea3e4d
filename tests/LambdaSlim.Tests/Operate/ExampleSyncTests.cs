using LambdaSlim.Aws;
using LambdaSlim.Operate;
using LambdaSlim.Tests.Aws;
using LambdaSlim.Tests.Pipeline;

namespace LambdaSlim.Tests.Operate;

/// <summary>
/// Sync of the example app's build to a stack of the example's logical IDs (plain resources: moto runs no SAM
/// transform) deployed from older code: its 3 layers get a new version each, its 3 functions their new code on those
/// layers, and a second sync changes nothing. Reads the shared example build only.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ExampleBuildCollection.Name)]
public class ExampleSyncTests(ExampleBuildFixture build, MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly string[] Layers = ["CoreDataScienceLayer", "MLLibrariesLayer", "AWSUtilitiesLayer"];
    private static readonly string[] Functions = ["DataValidationFunction", "FeatureEngineeringFunction", "PredictionsFunction"];

    private static string Template(string code) => string.Join('\n', new[]
    {
        "AWSTemplateFormatVersion: \"2010-09-09\"",
        "Resources:",
        "  Role:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      AssumeRolePolicyDocument:",
        "        Version: \"2012-10-17\"",
        "        Statement:",
        "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}",
    }
    .Concat(Layers.SelectMany(l => new[] { $"  {l}:", "    Type: AWS::Lambda::LayerVersion", $"    Properties: {{Content: {code}, CompatibleRuntimes: [python3.11]}}" }))
    .Concat(Functions.SelectMany(f => new[] { $"  {f}:", "    Type: AWS::Lambda::Function", $"    Properties: {{Code: {code}, Handler: app.lambda_handler, Runtime: python3.11, Role: !GetAtt Role.Arn}}" })));

    [Fact]
    public async Task Sync_publishes_the_3_layers_and_updates_the_3_functions_then_a_second_sync_makes_no_write_call()
    {
        build.Result.Failed.ShouldBeFalse();
        var stack = await SyncProject.PlaceholderStackAsync(moto, Template);
        var environment = moto.ClientEnvironment;
        var request = new SyncRequest { ProjectDir = build.ProjectDir, StackName = stack, Environment = k => environment.GetValueOrDefault(k) };

        var first = await Sync.RunAsync(request, new RecordingObserver());

        first.Layers.Select(l => l.LogicalId).ShouldBe(Layers, ignoreOrder: true);
        first.Layers.ShouldAllBe(l => l.Published);
        first.Functions.Select(f => f.LogicalId).ShouldBe(Functions, ignoreOrder: true);
        first.Functions.ShouldAllBe(f => f.CodeUpdated && f.LayersUpdated);
        using var lambda = new LambdaClient(MotoSessions.Open(moto));
        var arns = first.Layers.ToDictionary(l => l.LogicalId, l => l.VersionArn);
        foreach (var function in first.Functions)
        {
            var live = (await lambda.GetFunctionConfigurationAsync(function.FunctionName)).ShouldNotBeNull();
            var sha = build.Result.Report.Functions.Single(f => f.LogicalId == function.LogicalId).Sha256;
            live.CodeSha256.ShouldBe(Convert.ToBase64String(Convert.FromHexString(sha)), function.LogicalId);
            var spec = build.Result.Project.Functions.Single(f => f.LogicalId == function.LogicalId);
            live.LayerArns.ShouldBe(spec.Layers.Select(l => arns[l.ToString()]).ToList(), function.LogicalId);
        }

        await moto.StartRecordingAsync();
        var second = await Sync.RunAsync(request, new RecordingObserver());
        var requests = await moto.StopRecordingAsync();

        second.NoChanges.ShouldBeTrue();
        requests.Where(SyncProject.IsWrite).ShouldBeEmpty();
        foreach (var layer in first.Layers) (await lambda.ListLayerVersionsAsync(layer.LayerName)).Count.ShouldBe(2);
    }
}
