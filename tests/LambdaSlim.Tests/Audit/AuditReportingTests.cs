using System.Text.RegularExpressions;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Pipeline;
using LambdaSlim.Tests.Cli;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Audit;

/// <summary>What the audit says it checked, and the advice for a binary that is the user's own rather than pip's.</summary>
[Trait("Category", "Integration")]
public class AuditReportingTests
{
    private static string Function(string requirements)
    {
        var dir = TestEnvironment.NewTempDir("auditcount");
        Directory.CreateDirectory(Path.Combine(dir, "fn"));
        File.WriteAllText(Path.Combine(dir, "fn", "app.py"), "def handler(e, c):\n    return 1\n");
        File.WriteAllText(Path.Combine(dir, "fn", "requirements.txt"), requirements);
        File.WriteAllText(Path.Combine(dir, "template.yaml"), """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: fn/, Handler: app.handler, Runtime: python3.11}
            """);
        return dir;
    }

    [Fact]
    public async Task The_audit_line_counts_the_files_binaries_and_extension_modules_it_checked()
    {
        // charset_normalizer's cp311 manylinux wheel brings three extension modules, all fine on python3.11.
        var dir = Function("charset_normalizer\n");
        var (code, _, err) = await CliHarness.Run("build", dir, "--no-index", "--find-links", TestEnvironment.Wheelhouse);

        code.ShouldBe(0, err);
        err.ShouldNotContain("0 findings in 0 files");
        var line = Regex.Match(err, @"audit: no findings; checked (?<files>\d+) files, (?<elf>\d+) ELF \((?<modules>\d+) extension modules\)");
        line.Success.ShouldBeTrue(err);
        int.Parse(line.Groups["elf"].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(3);
        int.Parse(line.Groups["modules"].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(3);
        int.Parse(line.Groups["files"].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(3);

        // `lambdaslim audit` reads the built zips and says the same of them.
        (code, _, err) = await CliHarness.Run("audit", dir);
        code.ShouldBe(0, err);
        err.ShouldMatch(@"audit: 0 findings in 1 zip; checked \d+ files, 3 ELF \(3 extension modules\)");
    }

    [Fact]
    public async Task A_macOS_binary_in_the_users_folder_is_named_as_theirs_not_as_a_wheel_to_install()
    {
        var dir = Function("six\n");
        Directory.CreateDirectory(Path.Combine(dir, "fn", "vendor"));
        // A Mach-O 64-bit header (MH_MAGIC_64, little-endian), x86_64, a bundle: what a macOS build of a module starts with.
        var macho = new byte[4096];
        byte[] header = [0xCF, 0xFA, 0xED, 0xFE, 0x07, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00];
        header.CopyTo(macho, 0);
        File.WriteAllBytes(Path.Combine(dir, "fn", "vendor", "_speedups.so"), macho);

        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings }, new RecordingObserver());

        result.Failed.ShouldBeTrue("a foreign binary fails the build under the default --audit error");
        var finding = result.Findings.Single(f => f.Severity == Severity.Error && f.Message.Contains("_speedups.so", StringComparison.Ordinal));
        finding.Message.ShouldBe("fn/vendor/_speedups.so is a macOS binary in your CodeUri (fn/), not from pip: build it for Linux x86_64 (manylinux, cp311) or install the package through requirements.txt");
    }
}
