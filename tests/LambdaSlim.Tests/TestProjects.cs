namespace LambdaSlim.Tests;

/// <summary>Small real SAM projects for tests: a layer of python-dateutil and a function whose handler uses it.</summary>
public static class TestProjects
{
    public static string Dates(string runtime = "python3.11", string layerMetadata = "{}", string functionMetadata = "{}")
    {
        var dir = TestEnvironment.NewTempDir("dates");
        Directory.CreateDirectory(Path.Combine(dir, "layer"));
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "python-dateutil\n");
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "from dateutil import parser\ndef handler(e, c):\n    return parser.parse(e['when']).isoformat()\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), $$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Dates:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layer/, CompatibleRuntimes: [{{runtime}}]}
                Metadata: {BuildMethod: {{runtime}}, LambdaSlim: {{layerMetadata}}}
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/, Handler: app.handler, Runtime: {{runtime}}, Layers: [!Ref Dates]}
                Metadata: {LambdaSlim: {{functionMetadata}}}
            """);
        return dir;
    }

    /// <summary>A layer of six and a function that imports it.</summary>
    public static string Six()
    {
        var dir = TestEnvironment.NewTempDir("six");
        Directory.CreateDirectory(Path.Combine(dir, "layer"));
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "layer", "requirements.txt"), "six\n");
        File.WriteAllText(Path.Combine(dir, "src", "app.py"), "import six\ndef handler(e, c):\n    return six.PY3\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Lib:
                Type: AWS::Serverless::LayerVersion
                Properties:
                  ContentUri: layer/
                  CompatibleRuntimes: [python3.11]
                Metadata:
                  BuildMethod: python3.11
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src/
                  Handler: app.handler
                  Runtime: python3.11
                  Layers: [!Ref Lib]
            """);
        return dir;
    }
}
