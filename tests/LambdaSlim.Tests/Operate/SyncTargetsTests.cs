using LambdaSlim.Aws;
using LambdaSlim.Operate;

namespace LambdaSlim.Tests.Operate;

public class SyncTargetsTests
{
    private static StackResource Resource(string logicalId, string? physicalId, string type) => new(logicalId, physicalId, type, "CREATE_COMPLETE", null);

    [Fact]
    public void A_SAM_layer_is_found_under_its_logical_ID_with_the_transform_s_hash_and_named_from_its_version_ARN()
    {
        IReadOnlyList<StackResource> resources =
        [
            Resource("DepsLayer3f1c2a9b7e", "arn:aws:lambda:eu-west-1:123456789012:layer:deps:7", SyncTargets.LayerVersionType),
            Resource("DepsLayerExtra", "arn:aws:lambda:eu-west-1:123456789012:layer:other:1", SyncTargets.LayerVersionType),
            Resource("Api", "my-stack-Api-ABC", SyncTargets.FunctionType),
        ];

        SyncTargets.LayerName(resources, "DepsLayer", "my-stack").ShouldBe("deps");
        SyncTargets.LayerName(resources, "Api", "my-stack").ShouldBeNull("a function is not a layer");
        SyncTargets.FunctionName(resources, "Api").ShouldBe("my-stack-Api-ABC");
        SyncTargets.FunctionName(resources, "Worker").ShouldBeNull();
    }

    [Fact]
    public void A_layer_version_without_a_physical_ID_is_found_by_the_name_CloudFormation_generates()
    {
        IReadOnlyList<StackResource> resources = [Resource("Deps", null, SyncTargets.LayerVersionType)];

        SyncTargets.NeedsLayerNames(resources).ShouldBeTrue();
        SyncTargets.LayerName(resources, "Deps", "app", ["app-Other-X1", "app-Deps-Q01WP7"]).ShouldBe("app-Deps-Q01WP7");
        SyncTargets.LayerName(resources, "Deps", "app", ["other-Deps-Q01WP7"]).ShouldBeNull();
    }

    [Fact]
    public void Lambda_s_CodeSha256_is_the_build_s_hex_sha256_in_base64()
    {
        const string Hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

        SyncSha.ToLambda(Hex).ShouldBe("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=");
        SyncSha.FromLambda("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=").ShouldBe(Hex);
        SyncSha.FromLambda("not base64").ShouldBeNull();
    }
}
