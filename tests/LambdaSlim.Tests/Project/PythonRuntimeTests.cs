using LambdaSlim.Install;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Tests.Project;

public class PythonRuntimeTests
{
    [Theory]
    [InlineData("python3.9", "Amazon Linux 2", 26)]
    [InlineData("python3.11", "Amazon Linux 2", 26)]
    [InlineData("python3.12", "Amazon Linux 2023", 34)]
    [InlineData("python3.13", "Amazon Linux 2023", 34)]
    public void Runtime_maps_to_its_Amazon_Linux_and_glibc_through_the_manifest(string name, string os, int glibc)
    {
        var r = PythonRuntimes.Parse(name, "test");
        var environment = RuntimeManifest.BuiltIn.For(r, Architecture.X86_64);
        environment.OperatingSystem.ShouldBe(os);
        environment.GlibcMinor.ShouldBe(glibc);
        r.Version.ShouldBe(name["python".Length..]);
    }

    [Fact]
    public void The_runtimes_that_parse_are_the_ones_the_manifest_describes()
    {
        RuntimeManifest.BuiltIn.Runtimes.Select(r => r.Name).ShouldBe(["python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"]);
        foreach (var r in RuntimeManifest.BuiltIn.Runtimes) PythonRuntimes.TryParse(r.Name, out _).ShouldBeTrue();
        PythonRuntime.TryParseName("python3.15", out var future).ShouldBeTrue("python3.X is a runtime name");
        PythonRuntimes.TryParse(future.Name, out _).ShouldBeFalse("the manifest does not describe python3.15");
        Should.Throw<LambdaSlimException>(() => PythonRuntimes.Parse("python3.15", "function Fn")).OneLine
            .ShouldContain("use python3.9..python3.14, or set 'Metadata: LambdaSlim: skip: true'");
    }

    [Theory]
    [InlineData("nodejs20.x")]
    [InlineData("python2.7")]
    [InlineData("python3.8")]
    [InlineData("python3.15")]
    [InlineData(null)]
    public void Non_python_runtime_is_a_config_error_that_names_the_fix(string? name)
    {
        var e = Should.Throw<LambdaSlimException>(() => PythonRuntimes.Parse(name, "function Fn"));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.OneLine.ShouldContain("function Fn");
        e.OneLine.ShouldContain("skip: true");
        e.OneLine.ShouldNotContain("\n");
    }

    [Fact]
    public void Amazon_Linux_2_x86_64_accepts_manylinux_up_to_2_26_newest_first()
    {
        var tags = PlatformTags.For(PythonRuntimes.Parse("python3.11", "t"), Architecture.X86_64);
        tags[0].ShouldBe("manylinux_2_26_x86_64");
        tags.ShouldContain("manylinux2014_x86_64");
        tags.ShouldContain("manylinux1_x86_64");
        tags.ShouldNotContain("manylinux_2_27_x86_64");
        tags.ShouldNotContain("manylinux_2_28_x86_64");
    }

    [Fact]
    public void Amazon_Linux_2023_arm64_accepts_aarch64_manylinux_up_to_2_34()
    {
        var tags = PlatformTags.For(PythonRuntimes.Parse("python3.12", "t"), Architecture.Arm64);
        tags[0].ShouldBe("manylinux_2_34_aarch64");
        tags.ShouldContain("manylinux2014_aarch64");
        tags.ShouldAllBe(t => t.EndsWith("_aarch64"));
        tags.ShouldNotContain("manylinux_2_16_aarch64");
    }
}
