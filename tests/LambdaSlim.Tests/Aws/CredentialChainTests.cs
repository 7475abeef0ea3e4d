using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

/// <summary>The credential chain on real config files in a temp HOME, with an environment of the test's own.</summary>
public class CredentialChainTests
{
    private static Func<string, string?> Env(Dictionary<string, string> values) => k => values.GetValueOrDefault(k);

    private static Dictionary<string, string> EmptyHome() => new()
    {
        ["HOME"] = TestEnvironment.NewTempDir("home"),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_REGION"] = "eu-west-1",
    };

    [Fact]
    public void No_credentials_anywhere_is_one_line_naming_every_source_tried()
    {
        var env = EmptyHome();
        var e = Should.Throw<LambdaSlimException>(() => AwsSession.Open(AwsOptions.Default, Env(env)));

        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldNotContain("\n");
        e.Message.ShouldStartWith("no AWS credentials found");
        foreach (var source in new[] { "AWS_ACCESS_KEY_ID", "profile 'default'", Path.Combine(env["HOME"], ".aws", "credentials"), "web identity", "container role" })
            e.Message.ShouldContain(source);
        e.Hint!.ShouldContain("aws sso login");
    }

    [Fact]
    public void Keys_in_the_environment_are_used_and_named_as_the_source()
    {
        var env = EmptyHome();
        env["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLE";
        env["AWS_SECRET_ACCESS_KEY"] = "secret";
        env["AWS_SESSION_TOKEN"] = "token";
        var session = AwsSession.Open(AwsOptions.Default, Env(env));

        session.CredentialSource.ShouldBe("environment variables");
        session.Credentials.GetCredentials().Token.ShouldBe("token");
        session.Region.ShouldBe("eu-west-1");
    }

    [Fact]
    public void A_profile_of_the_shared_files_gives_the_keys_and_its_region()
    {
        var env = EmptyHome();
        env.Remove("AWS_REGION");
        var aws = Directory.CreateDirectory(Path.Combine(env["HOME"], ".aws")).FullName;
        File.WriteAllText(Path.Combine(aws, "credentials"), "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n\n[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n");
        File.WriteAllText(Path.Combine(aws, "config"), "[profile dev]\nregion = eu-west-3\n");
        env["AWS_PROFILE"] = "dev";

        var session = AwsSession.Open(AwsOptions.Default, Env(env));

        session.CredentialSource.ShouldBe("profile 'dev'");
        session.Credentials.GetCredentials().AccessKey.ShouldBe("AKIADEV");
        session.Region.ShouldBe("eu-west-3");
    }

    [Fact]
    public void Profile_option_wins_over_keys_in_the_environment_and_an_unknown_one_is_named()
    {
        var env = EmptyHome();
        var aws = Directory.CreateDirectory(Path.Combine(env["HOME"], ".aws")).FullName;
        File.WriteAllText(Path.Combine(aws, "credentials"), "[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = s\n");
        env["AWS_ACCESS_KEY_ID"] = "AKIAENV";
        env["AWS_SECRET_ACCESS_KEY"] = "secret";

        AwsSession.Open(AwsOptions.Default with { Profile = "ci" }, Env(env)).Credentials.GetCredentials().AccessKey.ShouldBe("AKIACI");
        var e = Should.Throw<LambdaSlimException>(() => AwsSession.Open(AwsOptions.Default with { Profile = "prod" }, Env(env)));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.Message.ShouldContain("'prod'");
    }

    [Fact]
    public void No_region_anywhere_says_how_to_give_one()
    {
        var env = EmptyHome();
        env.Remove("AWS_REGION");
        env["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLE";
        env["AWS_SECRET_ACCESS_KEY"] = "secret";
        var e = Should.Throw<LambdaSlimException>(() => AwsSession.Open(AwsOptions.Default, Env(env)));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain("--region");
    }

    [Fact]
    public void An_SSO_profile_without_a_login_is_one_line_saying_to_log_in()
    {
        var env = EmptyHome();
        var aws = Directory.CreateDirectory(Path.Combine(env["HOME"], ".aws")).FullName;
        File.WriteAllText(Path.Combine(aws, "config"),
            "[profile sso-dev]\nsso_start_url = https://lambdaslim-test.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Deployer\nregion = us-east-1\n");
        File.WriteAllText(Path.Combine(aws, "credentials"), "");

        var e = Should.Throw<LambdaSlimException>(() => AwsSession.Open(AwsOptions.Default with { Profile = "sso-dev" }, Env(env)));

        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain("aws sso login --profile sso-dev");
        e.OneLine.ShouldNotContain("\n");
    }
}
