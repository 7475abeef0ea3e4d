using System.IO.Compression;
using System.Text.Json;
using LambdaSlim.Tests.Cli;
using LambdaSlim.Tests.Sources;

namespace LambdaSlim.Tests.Package;

/// <summary>Real builds through the CLI of a small project whose function folder holds secrets, certificates, links and executables.</summary>
[Trait("Category", "Integration")]
public class SourceSafetyBuildTests
{
    /// <summary>One function, no requirements (so no pip), with the given top-level and function settings.</summary>
    private static string Project(string functionSettings = "{}", string? topSettings = null)
    {
        var dir = TestEnvironment.NewTempDir("safe");
        Directory.CreateDirectory(Path.Combine(dir, "fn"));
        File.WriteAllText(Path.Combine(dir, "fn", "app.py"), "def handler(e, c):\n    return 1\n");
        var top = topSettings is null ? "" : $"Metadata: {{LambdaSlim: {topSettings}}}\n";
        File.WriteAllText(Path.Combine(dir, "template.yaml"), $$"""
            Transform: AWS::Serverless-2016-10-31
            {{top}}Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: fn/, Handler: app.handler, Runtime: python3.11}
                Metadata: {LambdaSlim: {{functionSettings}}}
            """);
        return dir;
    }

    private static void Write(string dir, string relative, string text)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static Task<(int Code, string Out, string Err)> Build(string dir, params string[] more) => CliHarness.Run(["build", dir, "--audit", "warn", .. more]);

    private static List<string> ZipEntries(string dir)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "functions", "Fn.zip"));
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    [Fact]
    public async Task Credential_files_never_ship_and_each_is_on_stderr_and_in_report_json()
    {
        var dir = Project();
        string[] secrets = [".npmrc", ".git-credentials", ".docker/config.json", "terraform.tfstate", ".envrc", "my.env", ".htpasswd", "kubeconfig", "secrets.yaml", "id_rsa", "token.txt"];
        Write(dir, "fn/.npmrc", "//registry.npmjs.org/:_authToken=npm_0123456789abcdefghijklmnopqrstuvwxyz\n");
        Write(dir, "fn/.git-credentials", "https://me:ghp_0123456789abcdefghijklmnopqrstuvwxyz@github.com\n");
        Write(dir, "fn/.docker/config.json", """{"auths": {"ghcr.io": {"auth": "bWU6cGFzc3dvcmQ="}}}""");
        Write(dir, "fn/terraform.tfstate", """{"version": 4, "resources": [{"instances": [{"attributes": {"password": "hunter2"}}]}]}""");
        Write(dir, "fn/.envrc", "export DB_PASSWORD=hunter2\n");
        Write(dir, "fn/my.env", "DB_PASSWORD=hunter2\n");
        Write(dir, "fn/.htpasswd", "me:$apr1$abc$def\n");
        Write(dir, "fn/kubeconfig", "apiVersion: v1\nusers: [{name: me, user: {token: abc}}]\n");
        Write(dir, "fn/secrets.yaml", "db_password: hunter2\n");
        Write(dir, "fn/id_rsa", SecretSamples.PrivateKey);
        Write(dir, "fn/token.txt", "abc123\n");
        Write(dir, "fn/certifi/cacert.pem", SecretSamples.Certificate);

        var (code, _, err) = await Build(dir);

        code.ShouldBe(0, err);
        var entries = ZipEntries(dir);
        entries.ShouldContain("app.py");
        entries.ShouldContain("certifi/cacert.pem");
        foreach (var s in secrets)
        {
            entries.ShouldNotContain(s);
            err.ShouldContain($"left out fn/{s} (");
        }
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, ".lambdaslim", "build", "report.json")));
        var listed = report.RootElement.GetProperty("functions")[0].GetProperty("leftOutSecrets").EnumerateArray()
            .Select(e => e.GetProperty("path").GetString()).ToList();
        listed.Order(StringComparer.Ordinal).ShouldBe(secrets.Select(s => "fn/" + s).Order(StringComparer.Ordinal));
        report.RootElement.GetProperty("functions")[0].GetProperty("leftOutSecrets")[0].GetProperty("reason").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_secret_in_code_fails_the_build_with_exit_1_naming_file_and_line_until_allow_secrets_names_it()
    {
        var dir = Project();
        Write(dir, "fn/settings.py", "import os\nREGION = 'eu-west-1'\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK7MDENGbP\"\n");

        var (code, _, err) = await Build(dir);

        code.ShouldBe(1, err);
        err.ShouldContain("function Fn: fn/settings.py:3 holds an AWS secret access key");
        err.ShouldContain("allow-secrets");
        File.Exists(Path.Combine(dir, ".lambdaslim", "build", "functions", "Fn.zip")).ShouldBeFalse();

        var allowed = Project("{allow-secrets: [settings.py]}");
        File.Copy(Path.Combine(dir, "fn", "settings.py"), Path.Combine(allowed, "fn", "settings.py"));
        (code, _, err) = await Build(allowed);
        code.ShouldBe(0, err);
        ZipEntries(allowed).ShouldContain("settings.py");
    }

    [Fact]
    public async Task Top_level_include_lets_a_credential_file_ship_in_every_function()
    {
        var dir = Project(topSettings: "{include: [.env]}");
        Write(dir, "fn/.env", "STAGE=dev\n");
        var (code, _, err) = await Build(dir);
        code.ShouldBe(0, err);
        ZipEntries(dir).ShouldContain(".env");
    }

    [Fact]
    public async Task Links_out_of_the_function_folder_are_skipped_with_a_warning_and_loops_never_crash()
    {
        var dir = Project();
        var outside = TestEnvironment.NewTempDir("outside");
        Write(outside, "private.txt", "not yours\n");
        File.CreateSymbolicLink(Path.Combine(dir, "fn", "passwd.txt"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(dir, "fn", "ext"), outside);
        File.CreateSymbolicLink(Path.Combine(dir, "fn", "a"), "b");
        File.CreateSymbolicLink(Path.Combine(dir, "fn", "b"), "a");
        Directory.CreateSymbolicLink(Path.Combine(dir, "fn", "up"), "..");
        File.CreateSymbolicLink(Path.Combine(dir, "fn", "gone.py"), "missing.py");
        File.CreateSymbolicLink(Path.Combine(dir, "fn", "handler.py"), "app.py");

        var (code, _, err) = await Build(dir);

        code.ShouldBe(0, err);
        ZipEntries(dir).Where(e => !e.EndsWith(".pyc", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ShouldBe(["app.py", "handler.py"]);
        err.ShouldContain("skipped the link fn/passwd.txt -> /etc/passwd: it points outside");
        err.ShouldContain($"skipped the link fn/ext -> {outside}: it points outside");
        err.ShouldContain("skipped the link fn/a -> b: it is a loop");
        err.ShouldContain("skipped the link fn/gone.py -> missing.py: it points to nothing");
        err.ShouldContain("skipped the link fn/up ->");
    }

    [Fact]
    public async Task A_layer_follows_links_to_shared_code_in_the_project_but_not_out_of_it()
    {
        var dir = TestEnvironment.NewTempDir("layerlinks");
        Write(dir, "common/util.py", "def helper():\n    return 1\n");
        Write(dir, "layer/own.py", "x = 1\n");
        Write(dir, "fn/app.py", "import util\ndef handler(e, c):\n    return util.helper()\n");
        Directory.CreateSymbolicLink(Path.Combine(dir, "layer", "shared"), Path.Combine("..", "common"));
        File.CreateSymbolicLink(Path.Combine(dir, "layer", "util.py"), Path.Combine("..", "common", "util.py"));
        File.CreateSymbolicLink(Path.Combine(dir, "layer", "passwd"), "/etc/passwd");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Lib:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layer/, CompatibleRuntimes: [python3.11]}
                Metadata: {BuildMethod: python3.11}
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: fn/, Handler: app.handler, Runtime: python3.11, Layers: [!Ref Lib]}
            """);

        var (code, _, err) = await Build(dir);

        code.ShouldBe(0, err);
        using var zip = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "layers", "Lib.zip"));
        zip.Entries.Select(e => e.FullName).Where(e => !e.EndsWith(".pyc", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .ShouldBe(["python/own.py", "python/shared/util.py", "python/util.py"]);
        err.ShouldContain("layer Lib: skipped the link layer/passwd -> /etc/passwd: it points outside");
    }

    [Fact]
    public async Task Strict_links_turns_a_link_out_of_the_folder_into_exit_3()
    {
        var dir = Project();
        File.CreateSymbolicLink(Path.Combine(dir, "fn", "passwd.txt"), "/etc/passwd");
        var (code, _, err) = await Build(dir, "--strict-links");
        code.ShouldBe(3, err);
        err.ShouldContain("function Fn: the link fn/passwd.txt -> /etc/passwd points outside");
    }

    [Fact]
    public async Task An_elf_executable_keeps_mode_0755_in_the_zip()
    {
        var dir = Project();
        File.Copy("/bin/true", Path.Combine(dir, "fn", "tool"));
        var (code, _, err) = await Build(dir);
        code.ShouldBe(0, err);
        using var zip = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "functions", "Fn.zip"));
        Convert.ToString((zip.GetEntry("tool")!.ExternalAttributes >> 16) & 0x1FF, 8).ShouldBe("755");
        Convert.ToString((zip.GetEntry("app.py")!.ExternalAttributes >> 16) & 0x1FF, 8).ShouldBe("644");
    }
}
