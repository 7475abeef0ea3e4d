using LambdaSlim.Cache;

namespace LambdaSlim.Tests.Cli;

/// <summary>`lambdaslim cache status|prune` through the real CLI, on a cache folder filled by the real store.</summary>
public class CacheCommandTests
{
    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliHarness.Run(args);

    /// <summary>A cache folder with entries of these sizes, stored these many days ago (the first key is all 'a's, and so on).</summary>
    private static async Task<string> CacheWith(params (int Bytes, int DaysAgo)[] entries)
    {
        var cache = Path.Combine(TestEnvironment.NewTempDir("cachecli"), "cache");
        var work = TestEnvironment.NewTempDir("cachework");
        using var store = CacheStore.Open(CacheLocation.Parse(cache), new RecordingObserver());
        for (var i = 0; i < entries.Length; i++)
        {
            var file = Path.Combine(work, $"e{i}");
            await File.WriteAllBytesAsync(file, new byte[entries[i].Bytes]);
            var key = new CacheKey(new string((char)('a' + i), 16));
            (await store.PutAsync(key, file)).ShouldBeTrue();
            File.SetLastWriteTimeUtc(Directory.GetFiles(cache, $"{key}.*").Single(), DateTime.UtcNow.AddDays(-entries[i].DaysAgo));
        }
        return cache;
    }

    [Fact]
    public async Task Status_says_where_the_cache_is_how_much_it_holds_and_the_oldest_and_newest()
    {
        var cache = await CacheWith((1_000, 3), (250_000, 10), (2_000, 1));
        var (code, stdout, err) = await Run("cache", "status", "--cache", cache);
        code.ShouldBe(0, err);
        var lines = stdout.Trim().Split('\n');
        lines[0].ShouldBe($"cache    {cache} (--cache)");
        lines[1].ShouldBe("entries  3");
        lines[2].ShouldBe("size     253.0 kB (253,000 bytes)");
        lines[3].ShouldStartWith("oldest");
        lines[3].ShouldContain("bbbbbbbbbbbbbbbb  250.0 kB");
        lines[4].ShouldStartWith("newest");
        lines[4].ShouldContain("cccccccccccccccc  2.0 kB");
    }

    [Fact]
    public async Task Status_as_json_gives_scripts_the_same_numbers()
    {
        var cache = await CacheWith((1_000, 3), (250_000, 10));
        var (code, stdout, err) = await Run("cache", "status", "--cache", cache, "--format", "json");
        code.ShouldBe(0, err);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var root = json.RootElement;
        root.GetProperty("cache").GetString().ShouldBe(cache);
        root.GetProperty("from").GetString().ShouldBe("--cache");
        root.GetProperty("reachable").GetBoolean().ShouldBeTrue();
        root.GetProperty("entries").GetInt32().ShouldBe(2);
        root.GetProperty("bytes").GetInt64().ShouldBe(251_000);
        root.GetProperty("oldest").GetProperty("key").GetString().ShouldBe("bbbbbbbbbbbbbbbb");
        root.GetProperty("newest").GetProperty("bytes").GetInt64().ShouldBe(1_000);
    }

    [Fact]
    public async Task Status_of_a_cache_that_does_not_exist_yet_is_empty()
    {
        var cache = Path.Combine(TestEnvironment.NewTempDir("cachecli"), "not-yet");
        var (code, stdout, _) = await Run("cache", "status", "--cache", cache);
        code.ShouldBe(0);
        stdout.ShouldContain("entries  0");
        Directory.Exists(cache).ShouldBeFalse("status only looks");
    }

    [Fact]
    public async Task Status_finds_the_cache_the_template_names_relative_to_the_project()
    {
        var dir = TestProjects.Six();
        var template = Path.Combine(dir, "template.yaml");
        File.WriteAllText(template, "Metadata:\n  LambdaSlim:\n    cache: shared-cache\n" + File.ReadAllText(template));
        var (code, stdout, err) = await Run("cache", "status", "-p", dir);
        code.ShouldBe(0, err);
        stdout.ShouldStartWith($"cache    {Path.Combine(dir, "shared-cache")} (Metadata: LambdaSlim: cache)");
    }

    [Fact]
    public async Task Prune_to_a_size_removes_the_oldest_first_and_says_what_it_removed()
    {
        var cache = await CacheWith((1_000, 3), (250_000, 10), (2_000, 1), (5_000, 5));
        var (code, stdout, err) = await Run("cache", "prune", "--cache", cache, "--max-size", "5kB");
        code.ShouldBe(0, err);
        var lines = stdout.Trim().Split('\n');
        lines.Length.ShouldBe(3);
        lines[0].ShouldStartWith("removed ");
        lines[0].ShouldContain("bbbbbbbbbbbbbbbb");
        lines[1].ShouldContain("dddddddddddddddd");
        lines[2].ShouldBe($"{cache}: removed 2 entries, 255.0 kB; 2 entries, 3.0 kB left");
        Directory.GetFiles(cache).Select(f => Path.GetFileName(f)[0]).Order().ShouldBe(['a', 'c']);
    }

    [Fact]
    public async Task Prune_by_age_removes_what_was_stored_before_then()
    {
        var cache = await CacheWith((1_000, 40), (1_000, 31), (1_000, 2));
        var (code, stdout, err) = await Run("cache", "prune", "--cache", cache, "--older-than", "30d");
        code.ShouldBe(0, err);
        stdout.ShouldContain("removed 2 entries, 2.0 kB; 1 entry, 1.0 kB left");
        Directory.GetFiles(cache).ShouldHaveSingleItem().ShouldContain("cccccccccccccccc");
    }

    [Fact]
    public async Task Prune_without_a_limit_is_a_usage_error_and_removes_nothing()
    {
        var cache = await CacheWith((1_000, 40));
        var (code, _, err) = await Run("cache", "prune", "--cache", cache);
        code.ShouldBe(2);
        err.ShouldContain("--max-size SIZE, --older-than AGE, or both");
        Directory.GetFiles(cache).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("--max-size", "lots", 2, "--max-size 'lots' is not a size")]
    [InlineData("--older-than", "ages", 2, "--older-than 'ages' is not an age")]
    public async Task A_bad_limit_is_a_usage_error_naming_the_form(string option, string value, int exit, string says)
    {
        var (code, stdout, err) = await Run("cache", "prune", "--cache", TestEnvironment.NewTempDir("cachecli"), option, value);
        code.ShouldBe(exit);
        stdout.ShouldBeEmpty();
        err.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(says);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("prune")]
    public async Task A_bad_cache_value_is_a_one_line_configuration_error(string verb)
    {
        var (code, _, err) = await Run(["cache", verb, "--cache", "ftp://host/cache", .. verb == "prune" ? new[] { "--max-size", "1GB" } : []]);
        code.ShouldBe(4);
        err.Trim().Split('\n').ShouldHaveSingleItem().ShouldBe("error: --cache 'ftp://host/cache' uses ftp://, which LambdaSlim cannot store to: give a folder or s3://bucket/prefix");
    }
}
