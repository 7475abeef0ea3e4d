using LambdaSlim.Pipeline;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// `deploy --layers-first`: the two stage templates are pure functions of the stack's current template, the new one and
/// the zips' sha256, pinned here; <see cref="DeployedTemplatesTranslateTests"/> runs them through cfn-lint and
/// aws-sam-translator, and Aws/LayersFirstDeployTests through moto.
/// </summary>
public class LayersFirstTests
{
    private static readonly string OldDeps = new('a', 64), NewDeps = new('b', 64), OldPlain = new('c', 64), NewPlain = new('d', 64);

    private static readonly Dictionary<string, string> Shas = new()
    {
        [$"s3://bucket/{OldDeps}.zip"] = OldDeps, [$"s3://bucket/{NewDeps}.zip"] = NewDeps,
        [$"s3://bucket/{OldPlain}.zip"] = OldPlain, [$"s3://bucket/{NewPlain}.zip"] = NewPlain,
    };

    private static string Template(string deps, string plain, string code) => $$"""
        AWSTemplateFormatVersion: "2010-09-09"
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Environment: {Type: String, Default: dev}
        Conditions:
          UsesDeps: !Not [!Equals [!Ref Deps, ""]]
        Globals:
          Function:
            Layers: [!Ref Deps]
        Resources:
          Deps:
            Type: AWS::Serverless::LayerVersion
            Properties:
              ContentUri: s3://bucket/{{deps}}.zip
              CompatibleRuntimes: [python3.12]
              CompatibleArchitectures: [arm64]
              Description: shared deps
              LicenseInfo: MIT
              RetentionPolicy: delete
          Plain:
            Type: AWS::Lambda::LayerVersion
            DeletionPolicy: Retain
            Properties:
              LayerName: !Sub "plain-${Environment}"
              Content: {S3Bucket: bucket, S3Key: {{plain}}.zip}
          Other:
            Type: AWS::Serverless::LayerVersion
            Properties:
              ContentUri: s3://bucket/{{new string('e', 64)}}.zip
          Fn:
            Type: AWS::Serverless::Function
            DependsOn: [Deps, Other]
            Properties:
              CodeUri: s3://bucket/{{code}}.zip
              Handler: app.handler
              Runtime: python3.12
              Layers:
                - !Ref Plain
                - {Ref: Other}
              Environment:
                Variables:
                  DEPS: !Sub "${Deps} and ${!Deps} and ${Plain.LayerVersionArn}"
                  LONG: {"Fn::Sub": ["${Deps}-${X}", {X: !Ref Deps}]}
                  ARN: !GetAtt Plain.LayerVersionArn
                  ARN2: {"Fn::GetAtt": [Plain, LayerVersionArn]}
          Share:
            Type: AWS::Lambda::LayerVersionPermission
            Properties:
              Action: lambda:GetLayerVersion
              LayerVersionArn: !Ref Deps
              Principal: "123456789012"
        Outputs:
          DepsArn:
            Value: !Ref Deps
            Export: {Name: !Sub "${AWS::StackName}-${Deps}"}
        """;

    private static readonly string Current = Template(OldDeps, OldPlain, "f1");
    private static readonly string Next = Template(NewDeps, NewPlain, "f2");

    [Fact]
    public void Layers_and_functions_that_both_change_make_two_stages_under_content_hashed_ids()
    {
        var plan = LayersFirst.Plan(Current, Next, Shas);

        plan.Staged.ShouldBeTrue();
        plan.ChangedLayers.ShouldBe(new Dictionary<string, string> { ["Deps"] = "Deps" + NewDeps[..10], ["Plain"] = "Plain" + NewPlain[..10] });
        plan.ChangedFunctions.ShouldBe(["Fn"]);
        plan.SingleBecause.ShouldBeNull();
    }

    [Fact]
    public void Stage_one_is_the_current_template_plus_the_new_layers_in_plain_form_with_SAMs_defaults()
    {
        var stage1 = LayersFirst.Plan(Current, Next, Shas).Stage1!;

        foreach (var id in new[] { "Deps", "Plain", "Other", "Fn", "Share" }) Resource(stage1, id).ShouldBe(Resource(LayersFirst.Stage2(Current, new Dictionary<string, string>()), id));
        stage1.ShouldContain($"ContentUri: s3://bucket/{OldDeps}.zip", Case.Sensitive, "the running layer is untouched");
        stage1.ShouldContain("DEPS: !Sub \"${Deps} and ${!Deps} and ${Plain.LayerVersionArn}\"", Case.Sensitive, "the functions still use the old layers");
        stage1.ShouldContain($$"""
              Deps{{NewDeps[..10]}}:
                Type: AWS::Lambda::LayerVersion
                DeletionPolicy: Delete
                UpdateReplacePolicy: Delete
                Properties:
                  LayerName: Deps
                  Description: shared deps
                  Content:
                    S3Bucket: bucket
                    S3Key: {{NewDeps}}.zip
                  CompatibleRuntimes: [python3.12]
                  CompatibleArchitectures: [arm64]
                  LicenseInfo: MIT
            """.Replace("\r", "", StringComparison.Ordinal));
        stage1.ShouldContain($$"""
              Plain{{NewPlain[..10]}}:
                Type: AWS::Lambda::LayerVersion
                DeletionPolicy: Retain
                Properties:
                  LayerName: !Sub "plain-${Environment}"
                  Content: {S3Bucket: bucket, S3Key: {{NewPlain}}.zip}
            """.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Stage_two_rewrites_every_reference_to_a_changed_layer_and_nothing_else()
    {
        var stage2 = LayersFirst.Plan(Current, Next, Shas).Stage2!;
        var deps = "Deps" + NewDeps[..10];
        var plain = "Plain" + NewPlain[..10];

        stage2.ShouldNotContain("\n  Deps:");
        stage2.ShouldNotContain("\n  Plain:");
        stage2.ShouldContain($"\n  {deps}:\n    Type: AWS::Lambda::LayerVersion\n    DeletionPolicy: Delete\n");
        stage2.ShouldContain($"UsesDeps: !Not [!Equals [!Ref {deps}, \"\"]]");
        stage2.ShouldContain($"Layers: [!Ref {deps}]", Case.Sensitive, "Globals");
        stage2.ShouldContain($"DependsOn: [{deps}, Other]");
        stage2.ShouldContain($"- !Ref {plain}");
        stage2.ShouldContain("- {Ref: Other}", Case.Sensitive, "an unchanged layer keeps its reference");
        stage2.ShouldContain($"DEPS: !Sub \"${{{deps}}} and ${{!Deps}} and ${{{plain}.LayerVersionArn}}\"");
        stage2.ShouldContain($"LONG: {{\"Fn::Sub\": [\"${{{deps}}}-${{X}}\", {{X: !Ref {deps}}}]}}");
        stage2.ShouldContain($"ARN: !GetAtt {plain}.LayerVersionArn");
        stage2.ShouldContain($"ARN2: {{\"Fn::GetAtt\": [{plain}, LayerVersionArn]}}");
        stage2.ShouldContain($"LayerVersionArn: !Ref {deps}");
        stage2.ShouldContain($"Value: !Ref {deps}");
        stage2.ShouldContain($"Export: {{Name: !Sub \"${{AWS::StackName}}-${{{deps}}}\"}}");
        stage2.ShouldContain($"CodeUri: s3://bucket/f2.zip");
        // The layer resources are exactly stage 1's: CloudFormation finds them unchanged.
        var stage1 = LayersFirst.Plan(Current, Next, Shas).Stage1!;
        Resource(stage2, deps).ShouldBe(Resource(stage1, deps));
        Resource(stage2, plain).ShouldBe(Resource(stage1, plain));
    }

    [Fact]
    public void The_stage_templates_are_the_same_on_every_run()
    {
        var first = LayersFirst.Plan(Current, Next, Shas);
        var second = LayersFirst.Plan(Current, Next, new Dictionary<string, string>(Shas.Reverse()));

        second.Stage1.ShouldBe(first.Stage1);
        second.Stage2.ShouldBe(first.Stage2);
        LayersFirst.HashedId("Deps", "s3://elsewhere/layer.zip", Shas).ShouldBe(LayersFirst.HashedId("Deps", "s3://elsewhere/layer.zip", Shas));
        LayersFirst.HashedId("Deps", "s3://elsewhere/layer.zip", Shas).ShouldMatch("^Deps[0-9a-f]{10}$");
    }

    [Fact]
    public void Only_layers_or_only_functions_changing_is_one_change_set_saying_why()
    {
        var layersOnly = LayersFirst.Plan(Current, Template(NewDeps, OldPlain, "f1"), Shas);
        layersOnly.Staged.ShouldBeFalse();
        layersOnly.SingleBecause.ShouldBe("only layers changed (Deps); the functions follow them in the same change set");

        var functionsOnly = LayersFirst.Plan(Current, Template(OldDeps, OldPlain, "f2"), Shas);
        functionsOnly.Staged.ShouldBeFalse();
        functionsOnly.SingleBecause.ShouldBe("no layer changed, only functions (Fn)");

        LayersFirst.Plan(Current, Current, Shas).SingleBecause.ShouldBe("no layer and no function changed");
    }

    [Fact]
    public void A_stack_an_earlier_layers_first_deploy_left_in_hashed_form_is_compared_by_content()
    {
        var deployed = LayersFirst.Plan(Current, Next, Shas).Stage2!;

        var again = LayersFirst.Plan(deployed, Next, Shas);
        again.SingleBecause.ShouldBe("no layer and no function changed");

        var newCode = LayersFirst.Plan(deployed, Template(NewDeps, NewPlain, "f3"), Shas);
        newCode.SingleBecause.ShouldBe("no layer changed, only functions (Fn)");

        var newer = new string('f', 64);
        var both = LayersFirst.Plan(deployed, Template(newer, NewPlain, "f3"), new Dictionary<string, string>(Shas) { [$"s3://bucket/{newer}.zip"] = newer });
        both.ChangedLayers.ShouldBe(new Dictionary<string, string> { ["Deps"] = "Deps" + newer[..10] });
        both.Stage1!.ShouldContain($"\n  Deps{NewDeps[..10]}:", Case.Sensitive, "stage 1 keeps the running layer");
        both.Stage2!.ShouldContain($"- !Ref Plain{NewPlain[..10]}", Case.Sensitive, "an unchanged layer stays in the form the stack has it");
        both.Stage2!.ShouldContain($"Layers: [!Ref Deps{newer[..10]}]");
    }

    /// <summary>One resource's lines, from its ID to the next line indented as little.</summary>
    private static string Resource(string template, string id)
    {
        var lines = template.Split('\n');
        var start = Array.IndexOf(lines, $"  {id}:");
        start.ShouldBeGreaterThan(0, id);
        var end = start + 1;
        while (end < lines.Length && lines[end].StartsWith("   ", StringComparison.Ordinal)) end++;
        return string.Join('\n', lines[start..end]);
    }
}
