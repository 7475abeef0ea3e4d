using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LambdaSlim.Aws;
using LambdaSlim.Project;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Pipeline;

/// <summary>
/// The least-privilege IAM policy that `lambdaslim deploy` of a template needs, instead of the seed's lambda:*,
/// s3:* and cloudformation:* on everything: the artifact bucket and its prefix, the stack and the SAM transform, the
/// template's functions and layers by name, iam:PassRole on the functions' roles only (to Lambda only), the roles SAM
/// makes, and the template's other resources by the names CloudFormation gives them. Names the template builds with
/// !Sub are filled in from the stack name, the region, the account and the parameters; what is still unknown is a
/// wildcard inside the name.
/// </summary>
public static partial class DeployPolicy
{
    public sealed record Inputs(string StackName, string? Bucket, string Prefix, string Region, string Account, IReadOnlyDictionary<string, string> Parameters);

    /// <summary>The policy document, and the resource types of the template it does not cover (CloudFormation needs the caller to be allowed those too).</summary>
    public sealed record Result(string Json, IReadOnlyList<string> Uncovered);

    private sealed record ServiceRule(string[] Actions, Func<Inputs, string, string> Arn);

    /// <summary>What CloudFormation does for the other resource types a SAM app commonly has, and the ARNs of what it names them.</summary>
    private static readonly Dictionary<string, ServiceRule> OtherResources = new(StringComparer.Ordinal)
    {
        ["AWS::DynamoDB::Table"] = new(["dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:DescribeTable", "dynamodb:UpdateTable", "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups", "dynamodb:DescribeTimeToLive", "dynamodb:UpdateTimeToLive"],
            (i, name) => $"arn:aws:dynamodb:{i.Region}:{i.Account}:table/{name}"),
        ["AWS::S3::Bucket"] = new(["s3:CreateBucket", "s3:DeleteBucket", "s3:GetBucketLocation", "s3:PutBucketTagging", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:PutBucketPublicAccessBlock", "s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"],
            (_, name) => $"arn:aws:s3:::{name}"),
        ["AWS::SQS::Queue"] = new(["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:TagQueue"],
            (i, name) => $"arn:aws:sqs:{i.Region}:{i.Account}:{name}"),
        ["AWS::SNS::Topic"] = new(["sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:TagResource"],
            (i, name) => $"arn:aws:sns:{i.Region}:{i.Account}:{name}"),
        ["AWS::Logs::LogGroup"] = new(["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DescribeLogGroups", "logs:TagResource"],
            (i, name) => $"arn:aws:logs:{i.Region}:{i.Account}:log-group:{name}*"),
        ["AWS::CloudWatch::Alarm"] = new(["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms"],
            (i, name) => $"arn:aws:cloudwatch:{i.Region}:{i.Account}:alarm:{name}"),
        ["AWS::Serverless::Api"] = new(["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"],
            (i, _) => $"arn:aws:apigateway:{i.Region}::/restapis*"),
    };

    /// <summary>The property that names a resource of a type, when the template sets it.</summary>
    private static readonly Dictionary<string, string> NameProperty = new(StringComparer.Ordinal)
    {
        ["AWS::DynamoDB::Table"] = "TableName", ["AWS::S3::Bucket"] = "BucketName", ["AWS::SQS::Queue"] = "QueueName",
        ["AWS::SNS::Topic"] = "TopicName", ["AWS::Logs::LogGroup"] = "LogGroupName", ["AWS::CloudWatch::Alarm"] = "AlarmName",
        ["AWS::Serverless::Function"] = "FunctionName", ["AWS::Lambda::Function"] = "FunctionName",
        ["AWS::Serverless::LayerVersion"] = "LayerName", ["AWS::Lambda::LayerVersion"] = "LayerName", ["AWS::IAM::Role"] = "RoleName",
    };

    public static Result For(SamTemplate template, Inputs inputs)
    {
        var bucket = inputs.Bucket ?? ArtifactBucket.DefaultName(inputs.Account, inputs.Region).Replace("*", "", StringComparison.Ordinal) + (inputs.Account == "*" || inputs.Region == "*" ? "*" : "");
        var prefix = inputs.Prefix.Length == 0 ? "" : inputs.Prefix.TrimEnd('/') + "/";
        var functions = new List<string>();
        var layers = new List<string>();
        var passRoles = new List<string>();
        var other = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var uncovered = new SortedSet<string>(StringComparer.Ordinal);
        var stackWide = $"{inputs.StackName}-*";
        foreach (var (id, resource) in Resources(template))
        {
            var type = SamTemplate.Scalar(SamTemplate.Child(resource, "Type")) ?? "";
            var props = SamTemplate.Child(resource, "Properties") as YamlMappingNode;
            var named = NameProperty.TryGetValue(type, out var nameProperty) ? NameOf(template, SamTemplate.Child(props, nameProperty), inputs) : null;
            switch (type)
            {
                case ProjectLoader.FunctionType or "AWS::Lambda::Function":
                    functions.Add($"arn:aws:lambda:{inputs.Region}:{inputs.Account}:function:{named ?? stackWide}");
                    passRoles.Add(RoleOf(template, id, type, props, inputs));
                    break;
                case ProjectLoader.LayerType or "AWS::Lambda::LayerVersion":
                    var layer = named ?? (type == ProjectLoader.LayerType ? id : stackWide);
                    layers.Add($"arn:aws:lambda:{inputs.Region}:{inputs.Account}:layer:{layer}");
                    layers.Add($"arn:aws:lambda:{inputs.Region}:{inputs.Account}:layer:{layer}:*");
                    break;
                case "AWS::IAM::Role" or "AWS::Lambda::LayerVersionPermission" or "AWS::Lambda::Permission":
                    break; // the role and permission statements cover these
                default:
                    if (OtherResources.TryGetValue(type, out var rule)) other.TryAdd(type, []);
                    if (OtherResources.TryGetValue(type, out rule)) other[type].Add(rule.Arn(inputs, named ?? stackWide.ToLowerInvariant()));
                    else uncovered.Add(type);
                    break;
            }
        }

        var statements = new JsonArray
        {
            Statement("WhoAmI", ["sts:GetCallerIdentity"], ["*"]),
            Statement("ArtifactBucket", ["s3:CreateBucket", "s3:GetBucketLocation", "s3:ListBucket", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:PutBucketPublicAccessBlock"], [$"arn:aws:s3:::{bucket}"]),
            Statement("ArtifactObjects", ["s3:GetObject", "s3:PutObject"], [$"arn:aws:s3:::{bucket}/{prefix}*"]),
            Statement("Stack", ["cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DeleteChangeSet",
                "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources", "cloudformation:DeleteStack", "cloudformation:GetTemplateSummary",
                "cloudformation:GetTemplate"],
                [$"arn:aws:cloudformation:{inputs.Region}:{inputs.Account}:stack/{inputs.StackName}/*"]),
            Statement("SamTransform", ["cloudformation:CreateChangeSet"], [$"arn:aws:cloudformation:{inputs.Region}:aws:transform/Serverless-2016-10-31"]),
        };
        if (functions.Count > 0)
            statements.Add(Statement("Functions", ["lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration",
                "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:AddPermission", "lambda:RemovePermission",
                "lambda:TagResource", "lambda:UntagResource", "lambda:ListTags"], functions.Distinct().ToList()));
        if (layers.Count > 0)
            statements.Add(Statement("Layers", ["lambda:PublishLayerVersion", "lambda:DeleteLayerVersion", "lambda:GetLayerVersion",
                "lambda:AddLayerVersionPermission", "lambda:RemoveLayerVersionPermission"], layers.Distinct().ToList()));
        // `sync` finds a layer's latest version (ListLayerVersions) and, on emulators that give layers no physical ID,
        // the layer's name (ListLayers); neither action takes a resource narrower than "*".
        if (layers.Count > 0) statements.Add(Statement("SyncFindsLayerVersions", ["lambda:ListLayerVersions", "lambda:ListLayers"], ["*"]));
        // The build measures layers given by ARN (GetLayerVersionByArn), in their own accounts and regions.
        var external = Resources(template)
            .Where(r => SamTemplate.Scalar(SamTemplate.Child(r.Resource, "Type")) is ProjectLoader.FunctionType or ProjectLoader.PlainFunctionType)
            .SelectMany(r => SamTemplate.ScalarList(SamTemplate.Child(SamTemplate.Child(r.Resource, "Properties"), "Layers")))
            .Concat(SamTemplate.ScalarList(SamTemplate.Child(template.GlobalsFunction, "Layers")))
            .Where(Validate.ExternalLayerSizer.IsLayerVersionArn).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (external.Count > 0) statements.Add(Statement("LayersGivenByArn", ["lambda:GetLayerVersion"], external));
        if (passRoles.Count > 0)
        {
            var pass = Statement("PassRolesToLambda", ["iam:PassRole"], passRoles.Distinct().ToList());
            pass["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["iam:PassedToService"] = "lambda.amazonaws.com" } };
            statements.Add(pass);
            statements.Add(Statement("FunctionRoles", ["iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:TagRole", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
                "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy"], [$"arn:aws:iam::{inputs.Account}:role/{stackWide}"]));
        }
        // After a deploy LambdaSlim puts its PackageSize metric (Operate/PackageSizeMetrics). PutMetricData names no
        // resource, so the namespace condition is what narrows it.
        var metric = Statement("PackageSizeMetric", ["cloudwatch:PutMetricData"], ["*"]);
        metric["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["cloudwatch:namespace"] = "Lambda/Optimization" } };
        statements.Add(metric);
        foreach (var (type, arns) in other.OrderBy(o => o.Key, StringComparer.Ordinal))
            statements.Add(Statement(Regex.Replace(type.Split("::").Last(), "[^A-Za-z0-9]", "") + "Resources", OtherResources[type].Actions, arns.Distinct().ToList()));
        var document = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements };
        return new Result(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), uncovered.ToList());
    }

    private static JsonObject Statement(string sid, IReadOnlyList<string> actions, IReadOnlyList<string> resources) => new()
    {
        ["Sid"] = sid,
        ["Effect"] = "Allow",
        ["Action"] = new JsonArray(actions.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
        ["Resource"] = new JsonArray(resources.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
    };

    private static IEnumerable<(string Id, YamlMappingNode Resource)> Resources(SamTemplate template) =>
        template.Resources.Children.Where(p => p.Value is YamlMappingNode).Select(p => (SamTemplate.Scalar(p.Key) ?? "", (YamlMappingNode)p.Value));

    /// <summary>
    /// The role a function runs with: a literal ARN; a role of the template (its RoleName, else the name CloudFormation
    /// gives it); or, with none, the one SAM makes (STACK-IdRole-…).
    /// </summary>
    private static string RoleOf(SamTemplate template, string id, string type, YamlMappingNode? props, Inputs inputs)
    {
        var role = SamTemplate.Child(props, "Role") ?? SamTemplate.Child(template.GlobalsFunction, "Role");
        if (SamTemplate.Scalar(role) is { } literal && literal.StartsWith("arn:", StringComparison.Ordinal)) return literal;
        var target = role is YamlScalarNode { Tag.Value: "!GetAtt" } getAtt ? getAtt.Value?.Split('.')[0]
            : role is YamlMappingNode m && SamTemplate.Child(m, "Fn::GetAtt") is YamlSequenceNode { Children.Count: > 0 } seq ? SamTemplate.Scalar(seq.Children[0]) : null;
        if (target is not null && SamTemplate.Child(template.Resources, target) is YamlMappingNode roleResource)
            return $"arn:aws:iam::{inputs.Account}:role/{NameOf(template, SamTemplate.Child(SamTemplate.Child(roleResource, "Properties"), "RoleName"), inputs) ?? $"{inputs.StackName}-{target}-*"}";
        if (role is null && type == ProjectLoader.FunctionType) return $"arn:aws:iam::{inputs.Account}:role/{inputs.StackName}-{id}Role-*";
        return $"arn:aws:iam::{inputs.Account}:role/*";
    }

    /// <summary>A name as the template builds it: a literal, a parameter, or a !Sub filled in with what is known; null when it sets none.</summary>
    private static string? NameOf(SamTemplate template, YamlNode? node, Inputs inputs)
    {
        if (node is null) return null;
        if (SamTemplate.Scalar(node) is { } literal) return literal;
        if (SamTemplate.RefTarget(node) is { } parameter) return ParameterValue(template, parameter, inputs) ?? "*";
        var sub = node is YamlScalarNode { Tag.Value: "!Sub" } s ? s.Value
            : node is YamlMappingNode m ? SamTemplate.Scalar(SamTemplate.Child(m, "Fn::Sub")) : null;
        if (sub is null) return "*";
        return SubVariable().Replace(sub, v => v.Groups[1].Value switch
        {
            "AWS::StackName" => inputs.StackName,
            "AWS::Region" => inputs.Region,
            "AWS::AccountId" => inputs.Account,
            var name => ParameterValue(template, name, inputs) ?? "*",
        });
    }

    private static string? ParameterValue(SamTemplate template, string name, Inputs inputs) =>
        inputs.Parameters.TryGetValue(name, out var given) ? given
        : template.HasParameter(name) ? SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(SamTemplate.Child(template.Root, "Parameters"), name), "Default"))
        : null;

    [GeneratedRegex(@"\$\{([^}!]+)\}")]
    private static partial Regex SubVariable();
}
