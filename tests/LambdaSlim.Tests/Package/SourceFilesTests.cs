using LambdaSlim.Package;

namespace LambdaSlim.Tests.Package;

public class SourceFilesTests
{
    private static string Tree(params string[] files)
    {
        var dir = TestEnvironment.NewTempDir("src");
        foreach (var f in files)
        {
            var path = Path.Combine(dir, f);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, f.EndsWith("id_rsa") || f.EndsWith("deploy.txt") ? "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n" : "x = 1\n");
        }
        return dir;
    }

    [Fact]
    public void Leaves_out_version_control_virtualenvs_caches_and_build_outputs()
    {
        var dir = Tree("app.py", "pkg/mod.py", ".git/config", ".aws-sam/build/x.py", ".lambdaslim/build/t.yaml",
            "myenv/pyvenv.cfg", "myenv/lib/site.py", ".venv/lib/a.py", "pkg/__pycache__/mod.cpython-311.pyc", "old.pyc");
        var skipped = new List<SkippedSecret>();
        var files = SourceFiles.Collect(dir, [], skipped).Select(f => f.RelativePath).ToList();
        files.ShouldBe(["app.py", "pkg/mod.py"]);
        skipped.ShouldBeEmpty();
    }

    [Fact]
    public void Skips_secrets_and_says_why_unless_the_template_includes_them()
    {
        var dir = Tree("app.py", ".env", ".env.example", "keys/id_rsa", "certs/server.pem", ".aws/credentials", "notes/deploy.txt");
        var skipped = new List<SkippedSecret>();
        var files = SourceFiles.Collect(dir, [], skipped).Select(f => f.RelativePath).ToList();
        files.ShouldBe([".env.example", "app.py"]);
        skipped.Select(s => s.RelativePath).Order().ShouldBe([".aws/credentials", ".env", "certs/server.pem", "keys/id_rsa", "notes/deploy.txt"]);
        skipped.Single(s => s.RelativePath == "notes/deploy.txt").Reason.ShouldBe("contains a private key");

        var again = new List<SkippedSecret>();
        var included = SourceFiles.Collect(dir, [new Glob(".env"), new Glob("certs/*.pem")], again).Select(f => f.RelativePath).ToList();
        included.ShouldContain(".env");
        included.ShouldContain("certs/server.pem");
        again.Count.ShouldBe(3);
    }
}
