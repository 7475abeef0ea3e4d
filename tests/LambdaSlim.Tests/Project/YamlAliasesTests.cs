using LambdaSlim.Project;

namespace LambdaSlim.Tests.Project;

/// <summary>Anchors, aliases and merge keys read as CloudFormation reads them: as plain, unshared copies.</summary>
public class YamlAliasesTests
{
    private static SamTemplate Load(string yaml)
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("yaml"), "template.yaml");
        File.WriteAllText(path, yaml);
        return SamTemplate.Load(path);
    }

    [Fact]
    public void Merge_keys_keep_own_keys_first_then_earlier_merged_maps()
    {
        var template = Load("""
            Resources:
              A: {Type: X, Properties: &a {CodeUri: a/, Runtime: python3.11, MemorySize: 128}}
              B: {Type: X, Properties: &b {MemorySize: 256, Timeout: 3, Runtime: python3.12, Handler: b.handler}}
              C:
                Type: X
                Properties:
                  <<: [*a, *b]
                  Timeout: 10
            """);
        var c = YamlShape.Lines(template.Serialize()).Where(l => l.StartsWith("/Resources/C/Properties/", StringComparison.Ordinal)).ToList();
        c.ShouldBe([
            "/Resources/C/Properties/CodeUri - a/",
            "/Resources/C/Properties/Runtime - python3.11",
            "/Resources/C/Properties/MemorySize - 128",
            "/Resources/C/Properties/Handler - b.handler",
            "/Resources/C/Properties/Timeout - 10",
        ]);
    }

    [Fact]
    public void A_single_merge_key_and_nested_merges_are_applied()
    {
        var template = Load("""
            Resources:
              A: {Type: X, Properties: &a {CodeUri: a/}}
              B: {Type: X, Properties: &b {<<: *a, Handler: b.handler}}
              C: {Type: X, Properties: {<<: *b, Runtime: python3.11}}
            """);
        YamlShape.Lines(template.Serialize()).Where(l => l.StartsWith("/Resources/C/Properties/", StringComparison.Ordinal)).ShouldBe([
            "/Resources/C/Properties/CodeUri - a/",
            "/Resources/C/Properties/Handler - b.handler",
            "/Resources/C/Properties/Runtime - python3.11",
        ]);
    }

    [Fact]
    public void An_alias_becomes_a_copy_so_changing_one_resource_leaves_the_other()
    {
        var template = Load("""
            Resources:
              A: {Type: X, Properties: &p {CodeUri: fn/, Tags: {k: !Ref v}}}
              B: {Type: X, Properties: *p}
            """);
        var a = (YamlDotNet.RepresentationModel.YamlMappingNode)SamTemplate.Child(SamTemplate.Child(template.Resources, "A"), "Properties")!;
        var b = (YamlDotNet.RepresentationModel.YamlMappingNode)SamTemplate.Child(SamTemplate.Child(template.Resources, "B"), "Properties")!;
        ReferenceEquals(a, b).ShouldBeFalse();
        SamTemplate.Set(b, "CodeUri", new YamlDotNet.RepresentationModel.YamlScalarNode("functions/B.zip"));
        SamTemplate.Scalar(SamTemplate.Child(a, "CodeUri")).ShouldBe("fn/");
        var written = template.Serialize();
        written.ShouldNotContain("&");
        written.ShouldNotContain("*p");
        YamlShape.Lines(written).ShouldContain("/Resources/B/Properties/Tags/k !Ref v");
    }

    [Fact]
    public void A_merge_key_that_is_not_a_mapping_is_an_input_error()
    {
        var e = Should.Throw<LambdaSlimException>(() => Load("Resources:\n  A: {Type: X, Properties: {<<: [1, 2]}}\n"));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldContain("a merge key '<<' takes a mapping or a list of mappings");
    }

    [Fact]
    public void The_loader_reads_a_function_whose_properties_come_from_a_merge_key()
    {
        var dir = TestEnvironment.NewTempDir("merge");
        Directory.CreateDirectory(Path.Combine(dir, "fn"));
        File.WriteAllText(Path.Combine(dir, "fn", "app.py"), "def handler(e, c): pass\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn: {Type: AWS::Serverless::Function, Properties: &props {CodeUri: fn/, Handler: app.handler, Runtime: python3.11}}
              Fn2: {Type: AWS::Serverless::Function, Properties: {<<: *props, Runtime: python3.12}}
            """);
        var model = ProjectLoader.Load(dir);
        model.Functions.Select(f => (f.LogicalId, f.Runtime.Name, f.Handler)).ShouldBe([("Fn", "python3.11", "app.handler"), ("Fn2", "python3.12", "app.handler")]);
    }
}
