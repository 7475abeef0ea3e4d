using System.Text.Json;
using System.Text.Json.Nodes;

namespace LambdaSlim.Project;

/// <summary>
/// The JSON schema of <c>Metadata: LambdaSlim:</c>, made from <see cref="SettingsSchema.Keys"/> so that the file
/// editors read (schema/metadata-lambdaslim.schema.json) and the checks the loader makes cannot drift apart.
/// </summary>
public static class SettingsJsonSchema
{
    public const string RepositoryPath = "schema/metadata-lambdaslim.schema.json";

    public static string Render()
    {
        var properties = new JsonObject();
        foreach (var key in SettingsSchema.Keys)
        {
            var property = key.Kind switch
            {
                SettingKind.Bool => new JsonObject { ["type"] = "boolean" },
                SettingKind.Choice => new JsonObject { ["enum"] = new JsonArray([.. key.Choices.Select(c => (JsonNode)c)]) },
                SettingKind.List => new JsonObject
                {
                    ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }),
                },
                SettingKind.Targets => new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject(SettingsSchema.TargetKeys.Select(k => KeyValuePair.Create(k, (JsonNode?)new JsonObject
                    {
                        ["type"] = new JsonArray("string", "integer"),
                        ["pattern"] = SettingsSchema.SizePattern().ToString(),
                    }))),
                },
                _ => new JsonObject { ["type"] = "string" },
            };
            property["description"] = $"{key.Meaning} (on {Where(key.Scope)})";
            properties[key.Name] = property;
        }
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "Metadata: LambdaSlim:",
            ["description"] = "LambdaSlim's settings on a SAM function or layer, or at the template's top level. Unknown keys are an error (exit 4).",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string Where(SettingScope scope) => string.Join(", ",
        new[] { (SettingScope.Template, "the template"), (SettingScope.Function, "functions"), (SettingScope.Layer, "layers") }
            .Where(s => (scope & s.Item1) != 0).Select(s => s.Item2));
}
