using System.Text.Json;
using LambdaSlim.Project;

namespace LambdaSlim.Tests.Project;

public class SettingsJsonSchemaTests
{
    /// <summary>Set LAMBDASLIM_UPDATE_SCHEMA=1 to write the file again after adding a setting.</summary>
    [Fact]
    public void The_published_schema_is_the_one_the_loader_checks_against()
    {
        var file = Path.Combine(TestEnvironment.RepoRoot, SettingsJsonSchema.RepositoryPath);
        var rendered = SettingsJsonSchema.Render();
        if (Environment.GetEnvironmentVariable("LAMBDASLIM_UPDATE_SCHEMA") == "1") File.WriteAllText(file, rendered);
        File.ReadAllText(file).ShouldBe(rendered, $"{SettingsJsonSchema.RepositoryPath} is out of date: rerun this test with LAMBDASLIM_UPDATE_SCHEMA=1");
    }

    [Fact]
    public void Every_key_the_loader_accepts_is_in_the_schema_with_its_choices()
    {
        using var schema = JsonDocument.Parse(SettingsJsonSchema.Render());
        var properties = schema.RootElement.GetProperty("properties");
        properties.EnumerateObject().Select(p => p.Name).ShouldBe(SettingsSchema.Keys.Select(k => k.Name), ignoreOrder: true);
        properties.GetProperty("prune").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldBe(["none", "safe", "aggressive", "traced"]);
        schema.RootElement.GetProperty("additionalProperties").GetBoolean().ShouldBeFalse();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void A_real_validator_accepts_the_examples_settings_and_names_a_misspelt_key()
    {
        // python-jsonschema (a cfn-lint dependency) reads the schema as editors do.
        var output = TestEnvironment.Python("""
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            class Loader(yaml.SafeLoader): pass
            Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
            template = yaml.load(open(sys.argv[2]), Loader=Loader)
            blocks = [template.get("Metadata", {}).get("LambdaSlim")] + [r.get("Metadata", {}).get("LambdaSlim") for r in template["Resources"].values()]
            validator = jsonschema.Draft202012Validator(schema)
            print(sum(len(list(validator.iter_errors(b))) for b in blocks if b), len([b for b in blocks if b]))
            print(next(validator.iter_errors({"exlude": ["x"]})).message)
            """, Path.Combine(TestEnvironment.RepoRoot, SettingsJsonSchema.RepositoryPath), Path.Combine(TestEnvironment.ExampleDir, "template.yaml"));
        var lines = output.Trim().Split('\n');
        lines[0].ShouldBe("0 3", "no errors in the example's three LambdaSlim blocks");
        lines[1].ShouldContain("'exlude' was unexpected");
    }
}
