using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// aws-sam-translator (the SAM transform CloudFormation runs, installed in the machine's python3) applied to a template
/// file: proves it is valid SAM and shows what CloudFormation would create from it. The managed-policy map is given,
/// so the translator needs no IAM access.
/// </summary>
public static class SamTranslator
{
    private const string Script = """
        import json, sys
        from samtranslator.translator.transform import transform
        from samtranslator.yaml_helper import yaml_parse

        class ManagedPolicies:
            def load(self):
                return {
                    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
                    "AWSXRayDaemonWriteAccess": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
                    "AmazonDynamoDBFullAccess": "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
                    "AmazonS3ReadOnlyAccess": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                }

        with open(sys.argv[1], encoding="utf-8") as f:
            template = yaml_parse(f.read())
        print(json.dumps(transform(template, json.loads(sys.argv[2]), ManagedPolicies())))
        """;

    /// <returns>The translated CloudFormation template.</returns>
    public static JsonObject Translate(string templatePath, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", Script, templatePath, System.Text.Json.JsonSerializer.Serialize(parameters ?? new Dictionary<string, string>()) })
            psi.ArgumentList.Add(a);
        // The translator reads the partition from the region; nothing here reaches AWS.
        psi.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, error);
        return JsonNode.Parse(output.Result)!.AsObject();
    }

    /// <summary>The translated template's resources of one type, by logical ID.</summary>
    public static Dictionary<string, JsonObject> OfType(JsonObject translated, string type) =>
        translated["Resources"]!.AsObject()
            .Where(r => r.Value!["Type"]!.GetValue<string>() == type)
            .ToDictionary(r => r.Key, r => r.Value!.AsObject());
}
