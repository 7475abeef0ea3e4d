namespace LambdaSlim.Tests.Aws;

/// <summary>
/// Plain CloudFormation projects for the moto tests: moto runs no SAM transform, so only plain resources become real
/// functions there. Each template holds the role its functions run as (AnswerRole), then the test's own resources.
/// </summary>
public static class PlainStack
{
    /// <summary>A plain template: the role, then <paramref name="resources"/>, each line already indented under Resources.</summary>
    public static string Template(string resources) => $$"""
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          AnswerRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}

        """ + resources;

    /// <summary>A function resource named Answer, running src/app.py's handler as <paramref name="functionName"/>, indented under Resources.</summary>
    public static string Function(string functionName) => $$"""
          Answer:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: {{functionName}}
              Code: src/
              Handler: app.handler
              Runtime: python3.11
              Role: !GetAtt AnswerRole.Arn

        """;

    /// <summary>A project folder (under the run's temporary folder) with template.yaml and the given files.</summary>
    public static string Project(string prefix, string template, params (string Path, string Text)[] files)
    {
        var dir = TestEnvironment.NewTempDir(prefix);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllText(Path.Combine(dir, path), text);
        }
        File.WriteAllText(Path.Combine(dir, "template.yaml"), template);
        return dir;
    }
}
