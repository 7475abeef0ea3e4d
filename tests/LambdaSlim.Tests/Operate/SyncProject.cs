using System.IO.Compression;
using LambdaSlim.Aws;
using LambdaSlim.Tests.Aws;

namespace LambdaSlim.Tests.Operate;

/// <summary>
/// A small plain-CloudFormation project (moto runs no SAM transform): two layers, one of python-dateutil and one of
/// the project's own module, and two functions, Api on both layers and Worker on the second; and a stack of the same
/// logical IDs whose code is a placeholder, as if deployed from an older build.
/// </summary>
internal static class SyncProject
{
    public static readonly string[] Offline = ["--no-index", "--find-links", TestEnvironment.Wheelhouse, "--platform", "linux_x86_64"];

    public static string Create()
    {
        var dir = TestEnvironment.NewTempDir("sync");
        Write(dir, "dates/requirements.txt", "python-dateutil\n");
        Write(dir, "helpers/helpers.py", "GREETING = 'hello'\n");
        Write(dir, "api/app.py", "from dateutil import parser\nimport helpers\ndef handler(e, c):\n    return helpers.GREETING + parser.parse(e['when']).isoformat()\n");
        Write(dir, "worker/app.py", "import helpers\ndef handler(e, c):\n    return helpers.GREETING\n");
        Write(dir, "template.yaml", Template(code => $"{code}/"));
        return dir;
    }

    public static void Write(string dir, string path, string text)
    {
        var full = Path.Combine(dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <param name="code">The Code or Content of each resource, given its folder's name.</param>
    public static string Template(Func<string, string> code) => $$"""
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
          DatesLayer:
            Type: AWS::Lambda::LayerVersion
            Properties: {Content: {{code("dates")}}, CompatibleRuntimes: [python3.11]}
            Metadata: {BuildMethod: python3.11}
          HelpersLayer:
            Type: AWS::Lambda::LayerVersion
            Properties: {Content: {{code("helpers")}}, CompatibleRuntimes: [python3.11]}
            Metadata: {BuildMethod: python3.11}
          Api:
            Type: AWS::Lambda::Function
            Properties: {Code: {{code("api")}}, Handler: app.handler, Runtime: python3.11, Role: !GetAtt Role.Arn, Layers: [!Ref DatesLayer, !Ref HelpersLayer]}
          Worker:
            Type: AWS::Lambda::Function
            Properties: {Code: {{code("worker")}}, Handler: app.handler, Runtime: python3.11, Role: !GetAtt Role.Arn, Layers: [!Ref HelpersLayer]}
        """;

    /// <summary>Creates the stack with a placeholder zip as every layer's and function's code; its name.</summary>
    /// <param name="template">The stack's template, given the Code or Content to write; by default this project's.</param>
    public static async Task<string> PlaceholderStackAsync(MotoServer moto, Func<string, string>? template = null)
    {
        var name = $"sync-{Guid.NewGuid():N}"[..13];
        var session = MotoSessions.Open(moto);
        var zip = Path.Combine(TestEnvironment.NewTempDir("placeholder"), "placeholder.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("app.py").Open());
            writer.Write($"def handler(event, context):\n    return '{name}'\n");
        }
        using var bucket = await ArtifactBucket.OpenAsync(session, null, "placeholder", new RecordingObserver());
        var artifact = await bucket.UploadAsync(zip);
        using var cloudFormation = new CloudFormationClient(session);
        var deployer = new ChangeSetDeployer(cloudFormation, new RecordingObserver(), TimeSpan.FromMilliseconds(50));
        var prepared = await deployer.PrepareAsync(new ChangeSetRequest(name, $"create-{name}", ChangeSetType.Create)
        {
            TemplateBody = (template ?? (code => Template(_ => code)))($"{{S3Bucket: {artifact.Bucket}, S3Key: {artifact.Key}}}"),
        });
        (await deployer.ExecuteAsync(prepared)).FinalStatus.ShouldBe("CREATE_COMPLETE");
        return name;
    }

    /// <summary>Where each resource of the stack is in Lambda: functions by their physical IDs, layers by the names CloudFormation gave them.</summary>
    public static async Task<Dictionary<string, string>> NamesAsync(MotoServer moto, string stack)
    {
        var session = MotoSessions.Open(moto);
        using var cloudFormation = new CloudFormationClient(session);
        using var lambda = new LambdaClient(session);
        var resources = await cloudFormation.DescribeStackResourcesAsync(stack);
        var layers = await lambda.ListLayerNamesAsync();
        var names = resources.Where(r => r.ResourceType == "AWS::Lambda::Function").ToDictionary(r => r.LogicalResourceId, r => r.PhysicalResourceId!, StringComparer.Ordinal);
        foreach (var id in new[] { "DatesLayer", "HelpersLayer" }) names[id] = layers.Single(l => l.StartsWith($"{stack}-{id}-", StringComparison.Ordinal));
        return names;
    }

    /// <summary>A request that changes something: publishing a layer version, updating a function's code or configuration, putting a metric.</summary>
    public static bool IsWrite((string Method, string Path, string? Action) request) =>
        request.Action == "PutMetricData"
        || (request.Method is "POST" or "PUT" or "DELETE" && (request.Path.StartsWith("/2015-03-31/", StringComparison.Ordinal) || request.Path.StartsWith("/2018-10-31/", StringComparison.Ordinal)));
}
