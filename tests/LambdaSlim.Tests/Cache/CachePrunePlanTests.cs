using LambdaSlim.Cache;

namespace LambdaSlim.Tests.Cache;

public class CachePrunePlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static CacheEntry Entry(char c, long bytes, int daysAgo) => new(new CacheKey(new string(c, 16)), bytes, Now.AddDays(-daysAgo));

    [Fact]
    public void Max_size_removes_the_oldest_entries_until_the_rest_fit()
    {
        var entries = new[] { Entry('c', 300, 1), Entry('a', 500, 10), Entry('b', 400, 5) };
        CachePrunePlan.Choose(entries, maxBytes: 700, olderThan: null, Now).Select(e => e.Key.Value[0]).ShouldBe(['a']);
        CachePrunePlan.Choose(entries, maxBytes: 500, olderThan: null, Now).Select(e => e.Key.Value[0]).ShouldBe(['a', 'b']);
        CachePrunePlan.Choose(entries, maxBytes: 1200, olderThan: null, Now).ShouldBeEmpty();
    }

    [Fact]
    public void Older_than_removes_every_entry_stored_before_then_and_both_limits_add_up()
    {
        var entries = new[] { Entry('a', 500, 40), Entry('b', 400, 31), Entry('c', 300, 2), Entry('d', 100, 0) };
        CachePrunePlan.Choose(entries, null, TimeSpan.FromDays(30), Now).Select(e => e.Key.Value[0]).ShouldBe(['a', 'b']);
        CachePrunePlan.Choose(entries, 150, TimeSpan.FromDays(30), Now).Select(e => e.Key.Value[0]).ShouldBe(['a', 'b', 'c']);
    }

    [Theory]
    [InlineData("5GB", 5_000_000_000L)]
    [InlineData("500 MB", 500_000_000L)]
    [InlineData("2GiB", 2_147_483_648L)]
    [InlineData("1.5kb", 1_500L)]
    [InlineData("1234", 1_234L)]
    public void Sizes_read_as_users_write_them(string text, long bytes) => CachePrunePlan.ParseSize(text).ShouldBe(bytes);

    [Theory]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("45m", 45)]
    public void Ages_read_as_users_write_them(string text, int minutes) => CachePrunePlan.ParseAge(text).TotalMinutes.ShouldBe(minutes);

    [Fact]
    public void A_bad_size_or_age_is_a_usage_error_naming_the_form()
    {
        var size = Should.Throw<LambdaSlimException>(() => CachePrunePlan.ParseSize("five gigs"));
        size.ExitCode.ShouldBe(ExitCode.Usage);
        size.OneLine.ShouldContain("5GB");
        var age = Should.Throw<LambdaSlimException>(() => CachePrunePlan.ParseAge("a month"));
        age.ExitCode.ShouldBe(ExitCode.Usage);
        age.OneLine.ShouldContain("30d");
    }
}
