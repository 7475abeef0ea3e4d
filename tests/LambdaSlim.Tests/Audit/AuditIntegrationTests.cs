using System.IO.Compression;
using LambdaSlim.Pipeline;
using LambdaSlim.Tests.Pipeline;
using LambdaSlim.Model;

namespace LambdaSlim.Tests.Audit;

/// <summary>The audit inside the build, on the example built from Debian's binaries, which would not load on Lambda.</summary>
[Trait("Category", "Integration")]
public class AuditIntegrationTests
{
    private static string ExampleCopy()
    {
        var dir = TestEnvironment.NewTempDir("audit");
        TestEnvironment.CopyDirectory(TestEnvironment.ExampleDir, dir);
        return dir;
    }

    [Fact]
    public async Task Debian_binaries_fail_the_build_by_default_and_nothing_is_written()
    {
        var dir = ExampleCopy();
        var result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings, Verify = false }, new RecordingObserver());
        result.Failed.ShouldBeTrue();
        var errors = result.Findings.Where(f => f.Severity == Severity.Error).Select(f => f.Message).ToList();
        errors.ShouldContain(m => m.Contains("needs libblas.so.3, which is neither in the deployment nor in the python3.11 runtime") && m.Contains("--repair"));
        errors.ShouldContain(m => m.Contains("needs GLIBC_2.35") && m.Contains("python3.11 provides 2.26"));
        Directory.Exists(Path.Combine(dir, ".lambdaslim", "build", "layers")).ShouldBeFalse();
    }

    [Fact]
    public async Task Repair_vendors_the_missing_sonames_into_lib_and_only_glibc_version_findings_remain()
    {
        var dir = ExampleCopy();
        var observer = new RecordingObserver();
        var result = await BuildPipeline.RunAsync(new BuildRequest
        {
            ProjectDir = dir, Settings = ExampleBuildFixture.OfflineSettings, Verify = false, Repair = true, Audit = AuditMode.Warn,
        }, observer);
        using (var core = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "layers", "CoreDataScienceLayer.zip")))
        {
            var names = core.Entries.Select(e => e.FullName).ToList();
            names.ShouldContain("lib/libblas.so.3");
            names.ShouldContain("lib/liblapack.so.3");
            names.ShouldContain("lib/libgfortran.so.5", "recursively: liblapack needs libgfortran");
        }
        using (var ml = ZipFile.OpenRead(Path.Combine(dir, ".lambdaslim", "build", "layers", "MLLibrariesLayer.zip")))
            ml.Entries.Select(e => e.FullName).ShouldContain("lib/libgomp.so.1");
        var audit = result.Findings.Where(f => f.Severity == Severity.Warning && f.Message.Contains(" needs ")).ToList();
        audit.ShouldNotBeEmpty();
        audit.ShouldAllBe(f => f.Message.Contains("needs GLIBC") || f.Message.Contains("needs GLIBCXX") || f.Message.Contains("needs CXXABI") || f.Message.Contains("needs GCC_"));
        observer.Warnings.ShouldContain(w => w.StartsWith("repair: vendored libblas.so.3 into layer CoreDataScienceLayer"));
    }
}
