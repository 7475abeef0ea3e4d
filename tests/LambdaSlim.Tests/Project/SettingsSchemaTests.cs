using LambdaSlim.Pipeline;
using LambdaSlim.Project;
using LambdaSlim.Tests.Pipeline;

namespace LambdaSlim.Tests.Project;

/// <summary>Metadata: LambdaSlim: is read once against a schema: a typo or a bad value stops the build before pip runs.</summary>
public class SettingsSchemaTests
{
    private static string Project(string functionSettings, string topSettings = "")
    {
        var dir = TestEnvironment.NewTempDir("settings");
        Directory.CreateDirectory(Path.Combine(dir, "fn"));
        File.WriteAllText(Path.Combine(dir, "fn", "app.py"), "def handler(e, c):\n    return 1\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), $$"""
            Transform: AWS::Serverless-2016-10-31
            {{(topSettings.Length > 0 ? $"Metadata:\n  LambdaSlim: {topSettings}" : "")}}
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: fn/, Handler: app.handler, Runtime: python3.11}
                Metadata:
                  LambdaSlim: {{functionSettings}}
            """);
        return dir;
    }

    private static LambdaSlimException Refused(string dir) => Should.Throw<LambdaSlimException>(() => ProjectLoader.Load(dir));

    [Fact]
    public void An_unknown_key_is_a_config_error_with_a_did_you_mean()
    {
        var e = Refused(Project("{exlude: ['data/**']}"));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain("function Fn: unknown setting 'exlude' in Metadata: LambdaSlim");
        e.OneLine.ShouldContain("did you mean 'exclude'?");
    }

    [Fact]
    public void An_unknown_key_at_the_template_top_is_refused_too()
    {
        var e = Refused(Project("{}", "{botocore-service: [s3]}"));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain("template.yaml (top level): unknown setting 'botocore-service'");
        e.OneLine.ShouldContain("did you mean 'botocore-services'?");
    }

    [Theory]
    [InlineData("{strip: maybe}", "setting 'strip' is 'maybe', not a boolean")]
    [InlineData("{skip: yes}", "setting 'skip' is 'yes', not a boolean")]
    [InlineData("{sourceless-own-code: 1}", "setting 'sourceless-own-code' is '1', not a boolean")]
    public void A_boolean_is_true_or_false_only(string settings, string message)
    {
        var e = Refused(Project(settings));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain(message);
        e.OneLine.ShouldContain("write true or false");
    }

    [Theory]
    [InlineData("{prune: agressive}", "did you mean 'aggressive'?")]
    [InlineData("{bytecode: pyc}", "not one of compile, sourceless, none")]
    [InlineData("{exclude: [!Ref Globs]}", "setting 'exclude' item is !Ref Globs")]
    [InlineData("{keep: {a: b}}", "setting 'keep' must be a list of plain strings")]
    [InlineData("{targets: {function-zip: 10MB}}", "unknown target 'function-zip'")]
    [InlineData("{targets: {function-zipped: lots}}", "targets.function-zipped: 'lots' is not a size")]
    [InlineData("{assumes-layers: [Lib]}", "setting 'assumes-layers' does not belong here")]
    public void A_bad_value_is_a_config_error_naming_the_setting(string settings, string message)
    {
        var e = Refused(Project(settings));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain(message);
    }

    [Fact]
    public void Booleans_and_choices_are_case_insensitive_and_read_normalised()
    {
        var fn = ProjectLoader.Load(Project("{strip: FALSE, prune: Aggressive, skip: False, exclude: 'data/**', allow-secrets: [settings.py]}")).Functions.ShouldHaveSingleItem();
        fn.Settings.GetString("strip").ShouldBe("false");
        fn.Settings.GetBool("skip").ShouldBeFalse();
        fn.Settings.GetString("prune").ShouldBe("aggressive");
        fn.Settings.GetList("exclude").ShouldBe(["data/**"]);
        fn.Settings.GetList("allow-secrets").ShouldBe(["settings.py"]);
        var prune = LambdaSlim.Prune.PruneSettings.From(fn.Settings, LambdaSlimSettings.None, "Fn");
        prune.Strip.ShouldBeFalse("strip: FALSE turns stripping off; before, only lower-case false did");
    }

    [Fact]
    public void Edit_distance_suggests_only_close_names()
    {
        SettingsSchema.Closest("exlude", SettingsSchema.Keys.Select(k => k.Name)).ShouldBe("exclude");
        SettingsSchema.Closest("bytcode", SettingsSchema.Keys.Select(k => k.Name)).ShouldBe("bytecode");
        SettingsSchema.Closest("colour", SettingsSchema.Keys.Select(k => k.Name)).ShouldBeNull();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_bad_setting_stops_the_build_before_pip_runs()
    {
        var dir = Project("{strip: maybe}");
        File.WriteAllText(Path.Combine(dir, "fn", "requirements.txt"), "six\n");
        var observer = new RecordingObserver();
        var e = await Should.ThrowAsync<LambdaSlimException>(() =>
            BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, observer));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        Directory.Exists(Path.Combine(dir, ".lambdaslim")).ShouldBeFalse("nothing was installed");
    }
}
