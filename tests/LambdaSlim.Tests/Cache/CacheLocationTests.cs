using LambdaSlim.Cache;

namespace LambdaSlim.Tests.Cache;

public class CacheLocationTests
{
    [Theory]
    [InlineData("s3://my-bucket/ci/lambdaslim", "my-bucket", "ci/lambdaslim")]
    [InlineData("s3://my-bucket/ci/lambdaslim/", "my-bucket", "ci/lambdaslim")]
    [InlineData("s3://my.bucket", "my.bucket", "")]
    [InlineData("S3://my-bucket/p", "my-bucket", "p")]
    public void An_s3_url_names_the_bucket_and_the_prefix(string value, string bucket, string prefix)
    {
        var s3 = CacheLocation.Parse(value).ShouldBeOfType<CacheLocation.S3>();
        s3.Bucket.ShouldBe(bucket);
        s3.Prefix.ShouldBe(prefix);
        s3.ObjectKey(new CacheKey("0123456789abcdef")).ShouldBe(prefix.Length == 0 ? "0123456789abcdef" : $"{prefix}/0123456789abcdef");
    }

    [Fact]
    public void A_folder_is_taken_from_the_base_folder_and_needs_not_exist_yet()
    {
        var dir = TestEnvironment.NewTempDir("cacheloc");
        var local = CacheLocation.Parse("shared/cache", dir).ShouldBeOfType<CacheLocation.Local>();
        local.Directory.ShouldBe(Path.Combine(dir, "shared", "cache"));
        local.WriteRoots.ShouldBe([local.Directory]);
    }

    [Theory]
    [InlineData("s3://", "does not name an S3 bucket")]
    [InlineData("s3://My_Bucket/x", "does not name an S3 bucket")]
    [InlineData("s3://ab", "does not name an S3 bucket")]
    [InlineData("s3://bucket/a//b", "empty or relative part")]
    [InlineData("s3://bucket/../b", "empty or relative part")]
    [InlineData("gs://bucket/p", "uses gs://")]
    [InlineData("https://example.com/cache", "uses https://")]
    [InlineData("  ", "is empty")]
    public void A_bad_value_is_a_one_line_configuration_error(string value, string says)
    {
        var e = Should.Throw<LambdaSlimException>(() => CacheLocation.Parse(value, origin: "LAMBDASLIM_CACHE"));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain(says);
        e.OneLine.ShouldStartWith("LAMBDASLIM_CACHE");
        e.OneLine.ShouldNotContain("\n");
    }

    [Fact]
    public void A_file_where_the_folder_should_be_is_a_configuration_error()
    {
        var file = Path.Combine(TestEnvironment.NewTempDir("cacheloc"), "cache");
        File.WriteAllText(file, "x");
        Should.Throw<LambdaSlimException>(() => CacheLocation.Parse(file)).OneLine.ShouldContain("is a file");
    }

    [Fact]
    public void The_option_comes_first_then_the_environment_then_the_template_then_the_default()
    {
        var project = TestEnvironment.NewTempDir("cacheloc");
        var env = new Dictionary<string, string?> { [CacheLocation.EnvironmentVariable] = "s3://from-env/p" };
        string? Env(string k) => env.GetValueOrDefault(k);

        var fromOption = CacheLocation.Resolve("s3://from-option/p", "template-cache", project, Env);
        fromOption.ShouldBeOfType<CacheLocation.S3>().Bucket.ShouldBe("from-option");
        fromOption.Origin.ShouldBe("--cache");

        var fromEnvironment = CacheLocation.Resolve(null, "template-cache", project, Env);
        fromEnvironment.ShouldBeOfType<CacheLocation.S3>().Bucket.ShouldBe("from-env");
        fromEnvironment.Origin.ShouldBe("LAMBDASLIM_CACHE");

        env.Clear();
        var fromTemplate = CacheLocation.Resolve(null, "template-cache", project, Env).ShouldBeOfType<CacheLocation.Local>();
        fromTemplate.Directory.ShouldBe(Path.Combine(project, "template-cache"), "a template's folder is relative to the project");
        fromTemplate.Origin.ShouldBe("Metadata: LambdaSlim: cache");

        var byDefault = CacheLocation.Resolve(null, null, project, Env).ShouldBeOfType<CacheLocation.Local>();
        byDefault.Directory.ShouldBe(Path.Combine(LambdaSlim.Model.CacheFolder.Root, "artifacts"));
        byDefault.Origin.ShouldBe("default");
    }

    [Fact]
    public void A_key_is_hex_only_so_it_cannot_lead_out_of_the_cache()
    {
        CacheKey.TryParse("../../etc/passwd", out _).ShouldBeFalse();
        CacheKey.TryParse("0123456789ABCDEF", out _).ShouldBeFalse();
        CacheKey.TryParse("0123456789abcdef", out var key).ShouldBeTrue();
        key.Value.ShouldBe("0123456789abcdef");
        Should.Throw<ArgumentException>(() => new CacheKey("abc/def0123456789"));
    }
}
