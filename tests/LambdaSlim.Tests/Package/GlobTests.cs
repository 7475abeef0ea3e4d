using LambdaSlim.Project;

namespace LambdaSlim.Tests.Package;

public class GlobTests
{
    [Theory]
    [InlineData(".env", ".env", true)]
    [InlineData(".env", "config/.env", true)]
    [InlineData("*.pem", "certs/server.pem", true)]
    [InlineData("**/tests/**", "pandas/tests/io/data.csv", true)]
    [InlineData("pandas/tests/", "pandas/tests/io/data.csv", true)]
    [InlineData("pandas/tests/", "numpy/tests/x.py", false)]
    [InlineData("numpy/*.py", "numpy/core/x.py", false)]
    [InlineData("numpy/**/*.py", "numpy/core/x.py", true)]
    [InlineData("data?.csv", "data1.csv", true)]
    public void Glob_matches_like_gitignore(string pattern, string path, bool expected) =>
        new Glob(pattern).IsMatch(path).ShouldBe(expected);

    [Fact]
    public void Later_negation_wins()
    {
        var globs = new[] { new Glob("**/tests/**"), new Glob("!numpy/testing/tests/**") };
        Glob.MatchesList(globs, "pandas/tests/a.py").ShouldBeTrue();
        Glob.MatchesList(globs, "numpy/testing/tests/a.py").ShouldBeFalse();
    }
}
