using System.Runtime.InteropServices;
using LambdaSlim.Sources;
using LambdaSlim.Project;

namespace LambdaSlim.Tests.Sources;

public class SourceFilesTests
{
    internal static string Tree(params (string Path, string Text)[] files)
    {
        var dir = TestEnvironment.NewTempDir("src");
        foreach (var (f, text) in files)
        {
            var path = Path.Combine(dir, f);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        return dir;
    }

    private static List<string> Shipped(SourceSelection s) => s.Files.Select(f => f.RelativePath).ToList();

    [Fact]
    public void Leaves_out_version_control_virtualenvs_caches_and_build_outputs()
    {
        var dir = Tree(("app.py", "x = 1\n"), ("pkg/mod.py", "x = 1\n"), (".git/config", "x = 1\n"), (".aws-sam/build/x.py", "x = 1\n"),
            (".lambdaslim/build/t.yaml", "x = 1\n"), ("myenv/pyvenv.cfg", "x = 1\n"), ("myenv/lib/site.py", "x = 1\n"),
            (".venv/lib/a.py", "x = 1\n"), ("pkg/__pycache__/mod.cpython-311.pyc", "x = 1\n"), ("old.pyc", "x = 1\n"));
        var selection = SourceFiles.Collect(dir, []);
        Shipped(selection).ShouldBe(["app.py", "pkg/mod.py"]);
        selection.LeftOut.ShouldBeEmpty();
    }

    [Fact]
    public void Certificates_and_ca_bundles_ship_because_they_are_public()
    {
        var dir = Tree(("app.py", "import certifi\n"), ("certifi/cacert.pem", SecretSamples.Certificate + SecretSamples.Certificate), ("botocore/cacert.pem", SecretSamples.Certificate),
            ("certs/server.crt", SecretSamples.Certificate), ("keys/id_rsa.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfw/hCbW8libeiEqqT1vytLSgnxtmWozpvSlaYTBXdl me@host\n"),
            ("certs/public.pem", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA5/D+EJtbyWJt6ISqpPW/K0tKCfG2ZajOm9KVphMFd2U=\n-----END PUBLIC KEY-----\n"));
        var selection = SourceFiles.Collect(dir, []);
        Shipped(selection).ShouldBe(["app.py", "botocore/cacert.pem", "certifi/cacert.pem", "certs/public.pem", "certs/server.crt", "keys/id_rsa.pub"]);
        selection.LeftOut.ShouldBeEmpty();
        selection.SecretsInCode.ShouldBeEmpty();
    }

    [Fact]
    public void Credential_files_are_left_out_by_name_and_content_and_each_says_why()
    {
        var dir = Tree(
            ("app.py", "x = 1\n"),
            (".env", "DB_PASSWORD=hunter2\n"), (".env.example", "DB_PASSWORD=\n"), (".env.production", "A=b\n"), ("my.env", "A=b\n"), (".envrc", "export A=b\n"),
            (".npmrc", "//registry.npmjs.org/:_authToken=npm_abc\n"), ("plain/.npmrc", "save-exact=true\n"),
            (".git-credentials", "https://me:tok@github.com\n"),
            (".docker/config.json", """{"auths": {"https://index.docker.io/v1/": {"auth": "bWU6cGFzcw=="}}}"""),
            ("nodocker/.docker/config.json", """{"credsStore": "desktop"}"""),
            ("infra/terraform.tfstate", "{}\n"), ("infra/prod.tfvars", "password = \"x\"\n"),
            ("kubeconfig", "apiVersion: v1\n"), (".htpasswd", "me:$apr1$x\n"), ("secrets.yaml", "a: b\n"), ("token.txt", "abc\n"),
            ("keys/id_rsa", SecretSamples.PrivateKey), ("certs/server.pem", SecretSamples.Certificate + SecretSamples.PrivateKey), ("certs/tls.key", SecretSamples.PrivateKey),
            ("store/app.p12", "binary"), (".aws/credentials", "[default]\naws_secret_access_key = x\n"), ("notes/deploy.txt", SecretSamples.PrivateKey));
        var selection = SourceFiles.Collect(dir, []);

        Shipped(selection).ShouldBe([".env.example", "app.py", "nodocker/.docker/config.json", "plain/.npmrc"]);
        selection.LeftOut.Select(s => s.RelativePath).Order(StringComparer.Ordinal).ShouldBe([
            ".aws/credentials", ".docker/config.json", ".env", ".env.production", ".envrc", ".git-credentials", ".htpasswd", ".npmrc",
            "certs/server.pem", "certs/tls.key", "infra/prod.tfvars", "infra/terraform.tfstate", "keys/id_rsa", "kubeconfig", "my.env",
            "notes/deploy.txt", "secrets.yaml", "store/app.p12", "token.txt"]);
        selection.LeftOut.Single(s => s.RelativePath == ".npmrc").Reason.ShouldBe("npm registry token");
        selection.LeftOut.Single(s => s.RelativePath == "notes/deploy.txt").Reason.ShouldBe("private key");
        selection.SecretsInCode.ShouldBeEmpty();
    }

    [Fact]
    public void Include_and_allow_secrets_globs_let_a_credential_file_ship()
    {
        var dir = Tree(("app.py", "x = 1\n"), (".env", "A=b\n"), ("certs/server.pem", SecretSamples.PrivateKey), ("keys/id_rsa", SecretSamples.PrivateKey));
        var selection = SourceFiles.Collect(dir, [new Glob(".env"), new Glob("certs/*.pem")]);
        Shipped(selection).ShouldBe([".env", "app.py", "certs/server.pem"]);
        selection.LeftOut.Select(s => s.RelativePath).ShouldBe(["keys/id_rsa"]);
        selection.AllowedSecrets.Select(s => s.RelativePath).ShouldBe([".env", "certs/server.pem"]);
    }

    [Fact]
    public void A_secret_inside_code_is_found_with_its_line_and_not_left_out()
    {
        var dir = Tree(("app.py", "x = 1\n"),
            ("settings.py", "import os\nREGION = 'eu-west-1'\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK7MDENGbP\"\n"),
            ("config.json", "{\n  \"github\": \"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"\n}\n"),
            ("docs.py", "# aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\nKEY = os.environ['AWS_SECRET_ACCESS_KEY']\n"));
        var selection = SourceFiles.Collect(dir, []);
        Shipped(selection).ShouldBe(["app.py", "config.json", "docs.py", "settings.py"]);
        selection.SecretsInCode.OrderBy(s => s.RelativePath, StringComparer.Ordinal).ShouldBe([
            new SecretInCode("config.json", 2, "a GitHub token"),
            new SecretInCode("settings.py", 3, "an AWS secret access key")]);

        SourceFiles.Collect(dir, [new Glob("settings.py"), new Glob("config.json")]).SecretsInCode.ShouldBeEmpty();
    }

    [Fact]
    public void A_secret_in_documentation_leaves_the_file_out_instead_of_failing()
    {
        var dir = Tree(("app.py", "x = 1\n"), ("awscli/examples/iam/create-key.rst", "Output::\n\n    " + SecretSamples.PrivateKey));
        var selection = SourceFiles.Collect(dir, []);
        Shipped(selection).ShouldBe(["app.py"]);
        selection.SecretsInCode.ShouldBeEmpty();
        selection.LeftOut.ShouldBe([new SkippedSecret("awscli/examples/iam/create-key.rst", "documentation holding a private key")]);
    }

    [Fact]
    public void A_link_to_a_file_outside_the_folder_is_skipped_and_named_with_its_target()
    {
        var dir = Tree(("app.py", "x = 1\n"));
        File.CreateSymbolicLink(Path.Combine(dir, "passwd.txt"), "/etc/passwd");
        var selection = SourceFiles.Collect(dir, []);
        Shipped(selection).ShouldBe(["app.py"]);
        var link = selection.SkippedLinks.ShouldHaveSingleItem();
        link.ShouldBe(link with { RelativePath = "passwd.txt", Target = "/etc/passwd", LeadsOut = true });
    }

    [Fact]
    public void A_link_to_a_folder_outside_the_folder_is_not_walked()
    {
        var outside = Tree(("private/notes.txt", "do not ship\n"));
        var dir = Tree(("app.py", "x = 1\n"));
        Directory.CreateSymbolicLink(Path.Combine(dir, "ext"), outside);
        var selection = SourceFiles.Collect(dir, []);
        Shipped(selection).ShouldBe(["app.py"]);
        selection.SkippedLinks.ShouldHaveSingleItem().LeadsOut.ShouldBeTrue();
    }

    [Fact]
    public void Links_inside_the_folder_are_followed_and_packaged_at_the_links_path()
    {
        var dir = Tree(("app.py", "x = 1\n"), ("shared/util.py", "y = 2\n"));
        File.CreateSymbolicLink(Path.Combine(dir, "handler.py"), "app.py");
        Directory.CreateSymbolicLink(Path.Combine(dir, "lib"), "shared");
        var selection = SourceFiles.Collect(dir, []);
        Shipped(selection).ShouldBe(["app.py", "handler.py", "lib/util.py", "shared/util.py"]);
        File.ReadAllText(selection.Files.Single(f => f.RelativePath == "handler.py").FullPath).ShouldBe("x = 1\n");
        selection.SkippedLinks.ShouldBeEmpty();
    }

    [Fact]
    public void Link_loops_and_dangling_links_are_skipped_with_a_reason()
    {
        var dir = Tree(("app.py", "x = 1\n"), ("pkg/mod.py", "x = 1\n"));
        File.CreateSymbolicLink(Path.Combine(dir, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(dir, "b"), "a");
        Directory.CreateSymbolicLink(Path.Combine(dir, "pkg", "up"), "..");
        File.CreateSymbolicLink(Path.Combine(dir, "gone.py"), "nowhere.py");
        var selection = SourceFiles.Collect(dir, []);
        Shipped(selection).ShouldBe(["app.py", "pkg/mod.py"]);
        selection.SkippedLinks.Select(l => (l.RelativePath, l.LeadsOut)).ShouldBe([("a", false), ("b", false), ("gone.py", false), ("pkg/up", false)]);
        selection.SkippedLinks.Single(l => l.RelativePath == "gone.py").Why.ShouldBe("points to nothing");
        selection.SkippedLinks.Single(l => l.RelativePath == "pkg/up").Why.ShouldContain("loop");
        selection.SkippedLinks.Single(l => l.RelativePath == "a").Why.ShouldContain("loop");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void A_file_name_that_is_not_utf8_is_an_input_error_naming_it()
    {
        var dir = Tree(("app.py", "x = 1\n"));
        TestEnvironment.Python("import os, sys; open(os.path.join(os.fsencode(sys.argv[1]), b'caf\\xe9.py'), 'w').close()", dir);
        var e = Should.Throw<LambdaSlimException>(() => SourceFiles.Collect(dir, []));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.Message.ShouldContain(dir);
        e.Message.ShouldContain("not valid UTF-8");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void A_very_deep_path_is_an_input_error_not_a_crash()
    {
        var dir = Tree(("app.py", "x = 1\n"));
        // Built with relative mkdir/chdir, as a user's tool would, since the full path passes PATH_MAX.
        TestEnvironment.Python("import os, sys\nos.chdir(sys.argv[1])\nfor _ in range(24):\n    os.mkdir('d' * 200); os.chdir('d' * 200)\nopen('deep.py', 'w').close()", dir);
        var e = Should.Throw<LambdaSlimException>(() => SourceFiles.Collect(dir, []));
        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.Message.ShouldContain("ddd");
    }

    [Theory]
    [InlineData("file")]
    [InlineData("folder")]
    public void An_unreadable_file_or_folder_is_an_input_error_naming_it(string kind)
    {
        if (OperatingSystem.IsWindows()) return; // chmod and setfsuid are Unix
        var dir = Tree(("app.py", "x = 1\n"), ("locked/inner.py", "x = 1\n"));
        var locked = kind == "file" ? Path.Combine(dir, "app.py") : Path.Combine(dir, "locked");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        try
        {
            var e = Should.Throw<LambdaSlimException>(() => AsUnprivilegedUser(() => SourceFiles.Collect(dir, [])));
            e.ExitCode.ShouldBe(ExitCode.InputError);
            e.Message.ShouldBe($"cannot read {kind} {locked}: permission denied");
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> with the permission checks of user 'nobody'. Tests run as root in CI, and root
    /// reads any chmod 000 file; setfsuid changes the file-system identity of the calling thread only (and drops
    /// the capability to override permissions), so the action runs on a thread of its own.
    /// </summary>
    private static T AsUnprivilegedUser<T>(Func<T> action)
    {
        if (Environment.UserName != "root" && GetEuid() != 0) return action();
        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            const int nobody = 65534;
            SetFsUid(nobody);
            try
            {
                if (SetFsUid(nobody) != nobody) throw new InvalidOperationException("setfsuid(65534) did not take effect");
                result = action();
            }
            catch (Exception e) { error = e; }
            finally { SetFsUid(0); }
        });
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return result!;
    }

    [DllImport("libc", EntryPoint = "setfsuid")]
    private static extern int SetFsUid(int uid);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();
}
