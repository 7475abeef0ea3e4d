using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.RegularExpressions;
using LambdaSlim.Audit;
using LambdaSlim.Elf;
using LambdaSlim.Install;
using Xunit.Abstractions;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Tests.Audit;

/// <summary>
/// Installs real wheels from the offline wheelhouse with real pip, once per test class: Debian's numpy, scipy and
/// scikit-learn (linux_x86_64 wheels built against the system's BLAS, LAPACK, gfortran and glibc 2.36), pyenv's
/// cryptography (manylinux_2_34), and pure-Python six and python-dateutil.
/// </summary>
public sealed class AuditWheelsFixture
{
    public string DebianStack { get; } = Install("audit-debian", ["linux_x86_64"], "numpy", "scipy", "scikit-learn");
    public string Cryptography { get; } = Install("audit-crypto", ["manylinux_2_34_x86_64"], "cryptography");
    public string PurePython { get; } = Install("audit-pure", ["linux_x86_64"], "six", "python-dateutil");

    /// <summary>Installs with LambdaSlim's own pip command for python3.11 on x86_64, plus the platforms these wheels were built for.</summary>
    private static string Install(string name, string[] extraPlatforms, params string[] requirements)
    {
        var dir = TestEnvironment.NewTempDir(name);
        var file = Path.Combine(dir, "requirements.txt");
        File.WriteAllLines(file, requirements);
        var options = new PipOptions { NoIndex = true, FindLinks = [TestEnvironment.Wheelhouse], ExtraPlatforms = extraPlatforms };
        var request = new InstallRequest(file, PythonRuntimes.Parse("python3.11", "t"), Architecture.X86_64, options, "audit fixture");
        var target = Path.Combine(dir, "site");
        using var step = new RecordingObserver().Step("install");
        PipInstaller.InstallAsync(request, target, step, force: true, CancellationToken.None).GetAwaiter().GetResult();
        // The installer's stamps are not part of what pip installed.
        File.Delete(Path.Combine(target, PipInstaller.FingerprintFile));
        File.Delete(Path.Combine(target, PipInstaller.RequirementsStampFile));
        return target;
    }

    /// <summary>Every file under an install root as one layer's files ("python/&lt;rel&gt;"), owned by the distribution pip recorded.</summary>
    public static List<AuditFile> AsLayer(string root, string artifact = "Layer")
    {
        var owners = DistributionScanner.Scan(root).SelectMany(d => d.Files.Select(f => (File: f, d.Name))).ToDictionary(x => x.File, x => x.Name, StringComparer.Ordinal);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(rel => new AuditFile(artifact, "python/" + rel, Path.Combine(root, rel), owners.GetValueOrDefault(rel)))
            .ToList();
    }
}

[Trait("Category", "Integration")]
public sealed partial class BinaryAuditTests(AuditWheelsFixture wheels, ITestOutputHelper output) : IClassFixture<AuditWheelsFixture>
{
    // What readelf -d and readelf -V show in Debian bookworm's numpy 1.24.2, scipy 1.10.1 and scikit-learn 1.2.1:
    // the NEEDED libraries Lambda lacks, and the newest versions they need from libraries Lambda has.
    private static readonly string[] DebianMissing = ["libblas.so.3", "libgfortran.so.5", "libgomp.so.1", "liblapack.so.3", "liblbfgsb.so.0"];

    public static TheoryData<string> Runtimes => new() { "python3.10", "python3.11", "python3.12", "python3.13" };

    [Theory]
    [MemberData(nameof(Runtimes))]
    public void Debian_numpy_scipy_and_sklearn_fail_on_every_runtime_for_missing_BLAS_and_too_new_glibc_and_libstdcxx(string runtime)
    {
        var files = AuditWheelsFixture.AsLayer(wheels.DebianStack);

        var findings = BinaryAudit.Run(files, PythonRuntimes.Parse(runtime, "t"), Architecture.X86_64);

        Log(runtime, findings);
        MissingSonames(findings).ShouldBe(DebianMissing);
        var missingBlas = findings.First(f => f.Kind == AuditFindingKind.MissingLibrary && f.Problem.Contains("libblas.so.3"));
        missingBlas.Fix.ShouldContain("vendor libblas.so.3 into the layer's lib/");
        missingBlas.Distribution.ShouldNotBeNull();

        var tooNew = NewestTooNew(findings);
        tooNew["GLIBC"].ShouldBe("2.35");
        tooNew["GLIBCXX"].ShouldBe("3.4.30");
        var al2 = runtime is "python3.10" or "python3.11";
        if (al2) tooNew["CXXABI"].ShouldBe("1.3.13", "GCC 7's libstdc++ stops at CXXABI_1.3.11");
        else tooNew.ShouldNotContainKey("CXXABI");
        tooNew.ShouldNotContainKey("GCC");
        findings.Single(f => f.Kind == AuditFindingKind.SymbolVersionTooNew && f.ArchivePath.EndsWith("numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so") && f.Problem.Contains("GLIBC_"))
            .Problem.ShouldContain("needs GLIBC_2.35 (from libm.so.6)");
        findings.First(f => f.Kind == AuditFindingKind.SymbolVersionTooNew && f.Problem.Contains("GLIBC_"))
            .Fix.ShouldContain(al2 ? "manylinux_2_26 or manylinux2014" : "manylinux_2_34");

        var abi = findings.Where(f => f.Kind == AuditFindingKind.PythonAbiMismatch).ToList();
        if (runtime == "python3.11") abi.ShouldBeEmpty();
        else
        {
            abi.ShouldNotBeEmpty();
            abi.ShouldAllBe(f => f.ArchivePath.Contains(".cpython-311-"));
            abi[0].Fix.ShouldContain("set the runtime to python3.11");
        }

        findings.Where(f => f.Kind == AuditFindingKind.WheelTagMismatch).Select(f => f.Distribution).Order().ToList()
            .ShouldBe(["numpy", "scikit-learn", "scipy"], customMessage: "linux_x86_64 wheels are reported once their binaries fail");
        findings.ShouldNotContain(f => f.Kind == AuditFindingKind.WrongArchitecture || f.Kind == AuditFindingKind.ForeignBinary || f.Kind == AuditFindingKind.Unreadable);
        findings.ShouldNotContain(f => f.Distribution == "joblib" || f.Distribution == "threadpoolctl", "pure-Python distributions have nothing to fail");
    }

    [Fact]
    public void Cryptography_tagged_manylinux_2_34_passes_on_python3_12()
    {
        var findings = BinaryAudit.Run(AuditWheelsFixture.AsLayer(wheels.Cryptography), R("python3.12"), Architecture.X86_64);

        Log("python3.12", findings);
        findings.Where(f => f.Distribution == "cryptography").ShouldBeEmpty();
    }

    [Fact]
    public void Cryptography_tagged_manylinux_2_34_fails_on_python3_11_whose_glibc_is_2_26()
    {
        var findings = BinaryAudit.Run(AuditWheelsFixture.AsLayer(wheels.Cryptography), R("python3.11"), Architecture.X86_64);

        Log("python3.11", findings);
        var crypto = findings.Where(f => f.Distribution == "cryptography").ToList();
        var glibc = crypto.Single(f => f.Kind == AuditFindingKind.SymbolVersionTooNew);
        glibc.ArchivePath.ShouldBe("python/cryptography/hazmat/bindings/_rust.abi3.so");
        glibc.Problem.ShouldContain("needs GLIBC_2.34 (from libc.so.6) but python3.11 provides 2.26");
        glibc.Fix.ShouldContain("set the runtime to python3.12 or newer");
        var tag = crypto.Single(f => f.Kind == AuditFindingKind.WheelTagMismatch);
        tag.Problem.ShouldContain("cp311-abi3-manylinux_2_34_x86_64");
        tag.Problem.ShouldContain("needs glibc 2.34");
        tag.Fix.ShouldContain("--platform manylinux_2_26_x86_64 --platform manylinux2014_x86_64");
        // cffi (a dependency) is manylinux2014 and cp311: fine here.
        findings.ShouldNotContain(f => f.Distribution == "cffi");
    }

    [Theory]
    [InlineData("python3.10")]
    [InlineData("python3.13")]
    public void Pure_python_distributions_have_no_findings(string runtime)
    {
        var files = AuditWheelsFixture.AsLayer(wheels.PurePython);
        files.ShouldContain(f => f.Distribution == "six");
        files.ShouldContain(f => f.Distribution == "python-dateutil");

        BinaryAudit.Run(files, PythonRuntimes.Parse(runtime, "t"), Architecture.Arm64).ShouldBeEmpty();
    }

    [Fact]
    public void Arm64_and_macOS_modules_in_an_x86_64_function_are_named_as_wrong_architecture_and_foreign()
    {
        var dir = TestEnvironment.NewTempDir("audit-fake");
        var arm = Path.Combine(dir, "_x.so");
        File.WriteAllBytes(arm, MinimalElfHeader(ElfConstants.MachineAarch64));
        var mac = Path.Combine(dir, "_y.so");
        var machO = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(machO, 0xFEEDFACF);
        File.WriteAllBytes(mac, machO);
        var handler = Path.Combine(dir, "app.py");
        File.WriteAllText(handler, "def handler(event, context):\n    return 1\n");
        AuditFile[] files =
        [
            new("Function", "app.py", handler, null),
            new("Function", "python/fake/_x.cpython-311-x86_64-linux-gnu.so", arm, "fake"),
            new("Function", "python/fake/_y.cpython-311-darwin.so", mac, "fake"),
        ];

        var findings = BinaryAudit.Run(files, R("python3.11"), Architecture.X86_64, functionArtifact: "Function");

        Log("python3.11", findings);
        findings.Count.ShouldBe(2);
        var wrong = findings.Single(f => f.Kind == AuditFindingKind.WrongArchitecture);
        wrong.ArchivePath.ShouldBe("python/fake/_x.cpython-311-x86_64-linux-gnu.so");
        wrong.Problem.ShouldBe("python/fake/_x.cpython-311-x86_64-linux-gnu.so is built for aarch64, but the function runs on x86_64");
        var foreign = findings.Single(f => f.Kind == AuditFindingKind.ForeignBinary);
        foreign.ArchivePath.ShouldBe("python/fake/_y.cpython-311-darwin.so");
        foreign.Problem.ShouldContain("macOS (Mach-O)");
        foreign.Fix.ShouldContain("manylinux wheel of fake");
    }

    [Fact]
    public void A_library_in_the_layers_lib_satisfies_the_need_and_is_audited_as_a_file_of_its_own()
    {
        // numpy needs libblas.so.3 and liblapack.so.3. Stand-ins in the layer's lib/ (/opt/lib, on LD_LIBRARY_PATH)
        // satisfy them; the arm64 one is then reported as a file of its own.
        var files = AuditWheelsFixture.AsLayer(wheels.DebianStack).Where(f => f.Distribution == "numpy").ToList();
        var dir = TestEnvironment.NewTempDir("audit-vendored");
        var blas = Path.Combine(dir, "libblas.so.3");
        File.Copy(files.First(f => f.ArchivePath.EndsWith("/_pocketfft_internal.cpython-311-x86_64-linux-gnu.so")).SourcePath, blas);
        var lapack = Path.Combine(dir, "liblapack.so.3");
        File.WriteAllBytes(lapack, MinimalElfHeader(ElfConstants.MachineAarch64));
        files.Add(new AuditFile("Layer", "lib/libblas.so.3", blas, null));
        files.Add(new AuditFile("Layer", "lib/liblapack.so.3", lapack, null));

        var findings = BinaryAudit.Run(files, R("python3.11"), Architecture.X86_64);

        Log("python3.11", findings);
        findings.ShouldNotContain(f => f.Kind == AuditFindingKind.MissingLibrary);
        findings.Single(f => f.ArchivePath == "lib/liblapack.so.3").Kind.ShouldBe(AuditFindingKind.WrongArchitecture);
        findings.ShouldNotContain(f => f.ArchivePath == "lib/libblas.so.3", "the x86_64 stand-in only needs libc");
    }

    [Fact]
    public void A_newer_libstdcxx_in_the_layers_lib_does_not_help_because_the_runtimes_comes_first()
    {
        var files = AuditWheelsFixture.AsLayer(wheels.DebianStack).Where(f => f.ArchivePath.Contains("/pypocketfft.")).ToList();
        var copy = Path.Combine(TestEnvironment.NewTempDir("audit-stdcxx"), "libstdc++.so.6");
        File.WriteAllBytes(copy, MinimalElfHeader(ElfConstants.MachineX86_64));
        files.Add(new AuditFile("Layer", "lib/libstdc++.so.6", copy, null));

        var findings = BinaryAudit.Run(files, R("python3.12"), Architecture.X86_64);

        var glibcxx = findings.Single(f => f.Kind == AuditFindingKind.SymbolVersionTooNew && f.Problem.Contains("GLIBCXX"));
        glibcxx.Problem.ShouldContain("needs GLIBCXX_3.4.30 (from libstdc++.so.6) but python3.12 provides 3.4.29; the copy at /opt/lib/libstdc++.so.6 is never used");
    }

    [Fact]
    public void Libraries_that_auditwheel_vendors_next_to_the_package_are_found_through_origin_rpath_and_runpath()
    {
        var dir = TestEnvironment.NewTempDir("audit-origin");
        var libs = Directory.CreateDirectory(Path.Combine(dir, "fake.libs")).FullName;
        var pkg = Directory.CreateDirectory(Path.Combine(dir, "fake")).FullName;
        File.WriteAllText(Path.Combine(dir, "v.c"), "int vendored(void) { return 42; }\n");
        File.WriteAllText(Path.Combine(dir, "m.c"), "int vendored(void);\nint call(void) { return vendored(); }\n");
        var vendored = Path.Combine(libs, "libvendored-1a2b3c4d.so.1");
        Run("gcc", "-shared", "-fPIC", "-o", vendored, "-Wl,-soname,libvendored-1a2b3c4d.so.1", Path.Combine(dir, "v.c"));
        var withRpath = Path.Combine(pkg, "_r.cpython-312-x86_64-linux-gnu.so");
        Run("gcc", "-shared", "-fPIC", "-o", withRpath, Path.Combine(dir, "m.c"), vendored, "-Wl,--disable-new-dtags,-rpath,$ORIGIN/../fake.libs");
        var withRunpath = Path.Combine(pkg, "_u.cpython-312-x86_64-linux-gnu.so");
        Run("gcc", "-shared", "-fPIC", "-o", withRunpath, Path.Combine(dir, "m.c"), vendored, "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../fake.libs");
        ElfInfo.Read(withRpath).Info!.RPath.ShouldBe(["$ORIGIN/../fake.libs"]);
        ElfInfo.Read(withRunpath).Info!.RunPath.ShouldBe(["$ORIGIN/../fake.libs"]);
        AuditFile Deployed(string rel) => new("Layer", "python/" + rel, Path.Combine(dir, rel), "fake");

        BinaryAudit.Run([Deployed("fake/_r.cpython-312-x86_64-linux-gnu.so"), Deployed("fake/_u.cpython-312-x86_64-linux-gnu.so"), Deployed("fake.libs/libvendored-1a2b3c4d.so.1")], R("python3.12"), Architecture.X86_64)
            .ShouldBeEmpty();
        var missing = BinaryAudit.Run([Deployed("fake/_r.cpython-312-x86_64-linux-gnu.so")], R("python3.12"), Architecture.X86_64).Single();
        missing.Kind.ShouldBe(AuditFindingKind.MissingLibrary);
        missing.Problem.ShouldBe("python/fake/_r.cpython-312-x86_64-linux-gnu.so needs libvendored-1a2b3c4d.so.1, which is neither in the deployment nor in the python3.12 runtime");
        missing.Fix.ShouldBe("vendor libvendored-1a2b3c4d.so.1 into the layer's lib/ with --repair, or install the manylinux wheel of fake, which bundles it");
    }

    [Fact]
    public void A_later_layer_replaces_an_earlier_layers_file_and_the_function_is_separate()
    {
        var dir = TestEnvironment.NewTempDir("audit-order");
        var bad = Path.Combine(dir, "bad.so");
        File.WriteAllBytes(bad, MinimalElfHeader(ElfConstants.MachineAarch64));
        var good = Path.Combine(dir, "good.so");
        File.WriteAllBytes(good, MinimalElfHeader(ElfConstants.MachineX86_64));
        AuditFile[] files =
        [
            new("Base", "python/m/_c.so", bad, null),
            new("Override", "python/m/_c.so", good, null),
            new("Function", "python/m/_c.so", bad, null),
        ];

        var findings = BinaryAudit.Run(files, R("python3.12"), Architecture.X86_64, functionArtifact: "Function");

        findings.Select(f => (f.Artifact, f.Kind)).ShouldBe([("Function", AuditFindingKind.WrongArchitecture)]);
    }

    [Fact]
    public void Manifest_gives_each_runtime_its_glibc_and_libraries_and_says_what_is_confirmed()
    {
        var manifest = RuntimeManifest.BuiltIn;
        var al2 = manifest.For(R("python3.11"), Architecture.X86_64);
        var al2023 = manifest.For(R("python3.12"), Architecture.X86_64);

        manifest.Runtimes.Select(r => r.Name).ShouldBe(["python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"]);
        al2.OperatingSystem.ShouldBe("Amazon Linux 2");
        al2.MaxVersion("GLIBC")!.ToString().ShouldBe("GLIBC_2.26");
        al2.MaxVersion("GLIBCXX")!.ToString().ShouldBe("GLIBCXX_3.4.24");
        al2023.OperatingSystem.ShouldBe("Amazon Linux 2023");
        al2023.MaxVersion("GLIBC")!.ToString().ShouldBe("GLIBC_2.34");
        al2023.MaxVersion("GLIBCXX")!.ToString().ShouldBe("GLIBCXX_3.4.29");
        manifest.For(R("python3.14"), Architecture.Arm64).MaxVersion("GLIBC")!.Number.ShouldBe("2.34");

        foreach (var env in new[] { al2, al2023 })
        {
            env.Provides("libc.so.6").ShouldBeTrue();
            env.Libraries["libc.so.6"].Fact.Confirmed.ShouldBeTrue();
            env.Provides("libstdc++.so.6").ShouldBeTrue();
            env.Provides("ld-linux-x86-64.so.2").ShouldBeTrue();
            env.Provides("ld-linux-aarch64.so.1").ShouldBeFalse();
            env.Provides("libgomp.so.1").ShouldBeFalse();
            env.KnownAbsent.ShouldContainKey("libgomp.so.1");
            env.Provides("libgfortran.so.5").ShouldBeFalse();
            env.Provides("libblas.so.3").ShouldBeFalse();
            env.IsNeverVendored("libc.so.6").ShouldBeTrue();
            env.IsNeverVendored("libstdc++.so.6").ShouldBeFalse();
            env.IsPythonLibrary("libpython3.11.so.1.0").ShouldBeTrue();
        }
        manifest.For(R("python3.9"), Architecture.Arm64).Provides("ld-linux-aarch64.so.1").ShouldBeTrue();
        manifest.For(R("python3.12"), Architecture.Arm64).Provides("libmvec.so.1").ShouldBeFalse("glibc has libmvec on aarch64 only from 2.38");

        // The reference: glibc and AL2's GLIBCXX are confirmed; CXXABI is inferred from the GCC version; AL2's
        // libstdc++ and libz were seen in the python3.9 image; AL2023's wider-family libraries are inferred.
        al2.VersionLimits.Single(v => v.Prefix == "GLIBC").Fact.Confirmed.ShouldBeTrue();
        al2.VersionLimits.Single(v => v.Prefix == "GLIBCXX").Fact.Confirmed.ShouldBeTrue();
        al2.VersionLimits.Single(v => v.Prefix == "CXXABI").Fact.Confirmed.ShouldBeFalse();
        al2023.VersionLimits.Single(v => v.Prefix == "CXXABI").Fact.Inferred.ShouldNotBeNull().ShouldContain("GCC 11");
        al2.Libraries["libz.so.1"].Fact.Confirmed.ShouldBeTrue();
        al2.Libraries["libssl.so.10"].Fact.Confirmed.ShouldBeTrue();
        al2023.Libraries["libssl.so.3"].Fact.Confirmed.ShouldBeFalse();
        al2023.Libraries["libbz2.so.1"].Fact.Confirmed.ShouldBeTrue();
        al2023.Libraries.Values.ShouldAllBe(l => l.Fact.Sources.Count > 0 && (l.Fact.Confirmed || l.Fact.Inferred != null));
        manifest.LibraryPath.ShouldBe(["/var/lang/lib", "/lib64", "/usr/lib64", "/var/runtime", "/var/runtime/lib", "/var/task", "/var/task/lib", "/opt/lib"]);
        manifest.OldestRuntimeProviding(new SymbolVersion("GLIBC", [2, 28]))!.Name.ShouldBe("python3.12");
        manifest.OldestRuntimeProviding(new SymbolVersion("GLIBC", [2, 35])).ShouldBeNull();
    }

    [Fact]
    public void Manifest_rejects_an_unconfirmed_fact_that_does_not_say_what_it_is_inferred_from()
    {
        const string yaml = """
            sources: { a: somewhere }
            library-path: { dirs: [/lib64], confirmed: true, source: [a] }
            never-vendor: { sonames: [libc.so.6], source: [a] }
            python-lib: { soname-prefix: libpython, provided: false, confirmed: true, source: [a] }
            known-absent: []
            operating-systems:
              - name: X
                runtimes: [python3.12]
                source: [a]
                wheel-tags: [manylinux_2_34]
                versions:
                  - { prefix: GLIBC, max: "2.34", libraries: [libc.so.6], confirmed: false, source: [a] }
                libraries: []
            """;

        var e = Should.Throw<LambdaSlimException>(() => RuntimeManifest.Parse(yaml, "m.yaml"));

        e.Message.ShouldBe("m.yaml:12: an entry that is not confirmed must say what it is inferred from ('inferred:')");
    }

    [Theory]
    [InlineData("GLIBC_2.9", "GLIBC_2.17", -1)]
    [InlineData("GLIBC_2.17", "GLIBC_2.9", 1)]
    [InlineData("GLIBCXX_3.4.30", "GLIBCXX_3.4.29", 1)]
    [InlineData("GLIBC_2.2.5", "GLIBC_2.26", -1)]
    [InlineData("GCC_7.0.0", "GCC_7", 0)]
    [InlineData("CXXABI_1.3.13", "CXXABI_1.3.9", 1)]
    public void Symbol_versions_compare_number_by_number(string a, string b, int sign)
    {
        SymbolVersion.TryParse(a, out var x).ShouldBeTrue();
        SymbolVersion.TryParse(b, out var y).ShouldBeTrue();
        Math.Sign(x.CompareTo(y)).ShouldBe(sign);
    }

    [Theory]
    [InlineData("GLIBC_PRIVATE")]
    [InlineData("GLIBC_2.")]
    [InlineData("NOUNDERSCORE")]
    public void Names_without_a_numeric_version_are_not_symbol_versions(string text) =>
        SymbolVersion.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void ElfInfo_agrees_with_readelf_on_every_real_binary()
    {
        var binaries = Directory.EnumerateFiles(wheels.DebianStack, "*.so*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(wheels.Cryptography, "*.so*", SearchOption.AllDirectories)).ToList();
        binaries.Count.ShouldBeGreaterThan(100);
        var failures = new List<string>();
        foreach (var path in binaries)
        {
            var read = ElfInfo.Read(path);
            if (read.Info is not { } elf) { failures.Add($"{path}: {read.Error}"); continue; }
            var (needed, soname, rpath, runpath) = ReadElfDynamic(Run("readelf", "-dW", path));
            var versions = ReadElfVersionNeeds(Run("readelf", "-VW", path));
            if (!elf.Needed.SequenceEqual(needed)) failures.Add($"{path}: needed {string.Join(",", elf.Needed)} vs {string.Join(",", needed)}");
            if (elf.SoName != soname) failures.Add($"{path}: soname {elf.SoName} vs {soname}");
            if (!elf.RPath.SequenceEqual(rpath) || !elf.RunPath.SequenceEqual(runpath)) failures.Add($"{path}: rpath/runpath differ");
            var mine = elf.VersionNeeds.SelectMany(v => v.Versions.Select(n => $"{v.File}:{n}")).Order().ToList();
            if (!mine.SequenceEqual(versions.Order())) failures.Add($"{path}: versions {string.Join(",", mine)} vs {string.Join(",", versions.Order())}");
            if (elf.Machine != ElfConstants.MachineX86_64 || !elf.Is64Bit || !elf.LittleEndian || elf.Type != ElfConstants.TypeShared) failures.Add($"{path}: header");
        }
        failures.ShouldBeEmpty();
    }

    [Fact]
    public void ElfInfo_falls_back_to_the_dynamic_segment_when_section_headers_are_gone()
    {
        var original = Directory.EnumerateFiles(wheels.Cryptography, "_rust.abi3.so", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(original);
        // What sstrip does: no section header table, only program headers.
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), 0);

        var fromSegments = ElfInfo.Parse(bytes).Info.ShouldNotBeNull();
        var fromSections = ElfInfo.Read(original).Info.ShouldNotBeNull();

        fromSegments.Needed.ShouldBe(fromSections.Needed);
        fromSegments.VersionNeeds.SelectMany(v => v.Versions.Select(n => v.File + ":" + n))
            .ShouldBe(fromSections.VersionNeeds.SelectMany(v => v.Versions.Select(n => v.File + ":" + n)));
        fromSegments.VersionNeeds.ShouldContain(v => v.File == "libc.so.6" && v.Versions.Contains("GLIBC_2.34"));
    }

    [Fact]
    public void ElfInfo_reports_truncated_and_garbage_files_without_throwing()
    {
        var original = File.ReadAllBytes(Directory.EnumerateFiles(wheels.DebianStack, "_umath_linalg.cpython-311-x86_64-linux-gnu.so", SearchOption.AllDirectories).Single());
        var random = new Random(42);
        var errors = 0;
        foreach (var length in new[] { 0, 3, 16, 40, 63, 64, 200, 1000, 4096, 10_000, original.Length / 2, original.Length - 1 })
        {
            var result = Should.NotThrow(() => ElfInfo.Parse(original[..length]));
            if (result.Error is not null) errors++;
        }
        errors.ShouldBeGreaterThan(5);
        for (var i = 0; i < 200; i++)
        {
            var garbled = (byte[])original.Clone();
            for (var j = 0; j < 64; j++) garbled[random.Next(garbled.Length)] = (byte)random.Next(256);
            Should.NotThrow(() => ElfInfo.Parse(garbled));
            var header = (byte[])original[..4096].Clone();
            random.NextBytes(header.AsSpan(16));
            Should.NotThrow(() => ElfInfo.Parse(header));
        }
        ElfInfo.Parse("not elf at all"u8.ToArray()).Error.ShouldBe("not an ELF file");
        ElfInfo.Read(Path.Combine(TestEnvironment.NewTempDir("audit-none"), "missing.so")).Error.ShouldNotBeNull();
    }

    [Fact]
    public void A_truncated_extension_module_is_reported_unreadable()
    {
        var original = Directory.EnumerateFiles(wheels.Cryptography, "_rust.abi3.so", SearchOption.AllDirectories).Single();
        var truncated = Path.Combine(TestEnvironment.NewTempDir("audit-trunc"), "_rust.abi3.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(original)[..2000]);

        var finding = BinaryAudit.Run([new AuditFile("Layer", "python/c/_rust.abi3.so", truncated, "c")], R("python3.12"), Architecture.X86_64).Single();

        finding.Kind.ShouldBe(AuditFindingKind.Unreadable);
        finding.Problem.ShouldStartWith("python/c/_rust.abi3.so starts like an ELF binary but cannot be read: truncated");
    }

    [Theory]
    [InlineData(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, "m.so", NativeFileKind.Elf)]
    [InlineData(new byte[] { 0xCF, 0xFA, 0xED, 0xFE }, "m.so", NativeFileKind.MachO)]
    [InlineData(new byte[] { 0xFE, 0xED, 0xFA, 0xCE }, "m.so", NativeFileKind.MachO)]
    [InlineData(new byte[] { 0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 2 }, "m.so", NativeFileKind.MachO)]
    [InlineData(new byte[] { 0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 52 }, "A.class", NativeFileKind.NotNative)]
    [InlineData(new byte[] { 0xBE, 0xBA, 0xFE, 0xCA }, "m.so", NativeFileKind.MachO)]
    [InlineData(new byte[] { (byte)'M', (byte)'Z', 0x90, 0 }, "m.pyd", NativeFileKind.PortableExecutable)]
    [InlineData(new byte[] { (byte)'i', (byte)'m', (byte)'p', (byte)'o' }, "m.py", NativeFileKind.NotNative)]
    [InlineData(new byte[] { (byte)'i', (byte)'m', (byte)'p', (byte)'o' }, "m.pyd", NativeFileKind.ForeignByName)]
    [InlineData(new byte[] { }, "libx.dylib", NativeFileKind.ForeignByName)]
    public void Native_files_are_told_apart_by_magic_number(byte[] header, string name, NativeFileKind expected) =>
        NativeFileKinds.FromHeader(header, name).ShouldBe(expected);

    private static byte[] MinimalElfHeader(ushort machine)
    {
        var header = new byte[64];
        "\u007FELF"u8.CopyTo(header);
        header[4] = 2; // ELFCLASS64
        header[5] = 1; // little-endian
        header[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(16), ElfConstants.TypeShared);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(18), machine);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(52), 64);
        return header;
    }

    private static List<string> MissingSonames(IEnumerable<AuditFinding> findings) =>
        findings.Where(f => f.Kind == AuditFindingKind.MissingLibrary)
            .Select(f => NeedsPattern().Match(f.Problem).Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The newest too-new version per prefix across all findings ("GLIBC" → "2.35").</summary>
    private static Dictionary<string, string> NewestTooNew(IEnumerable<AuditFinding> findings) =>
        findings.Where(f => f.Kind == AuditFindingKind.SymbolVersionTooNew)
            .Select(f => NeedsPattern().Match(f.Problem).Groups[1].Value)
            .Select(v => SymbolVersion.TryParse(v, out var s) ? s : throw new InvalidOperationException(v))
            .GroupBy(v => v.Prefix).ToDictionary(g => g.Key, g => g.Max()!.Number);

    [GeneratedRegex(@" needs ([^\s,]+)")]
    private static partial Regex NeedsPattern();

    private static PythonRuntime R(string name) => PythonRuntimes.Parse(name, "test");

    private void Log(string runtime, IReadOnlyList<AuditFinding> findings)
    {
        output.WriteLine($"{runtime}: {findings.Count} findings");
        foreach (var group in findings.GroupBy(f => f.Kind))
            output.WriteLine($"  {group.Key}: {group.Count()}");
        output.WriteLine($"  missing: {string.Join(", ", MissingSonames(findings))}");
        output.WriteLine($"  too new: {string.Join(", ", findings.Where(f => f.Kind == AuditFindingKind.SymbolVersionTooNew).Select(f => NeedsPattern().Match(f.Problem).Groups[1].Value).Distinct().Order())}");
        foreach (var f in findings.DistinctBy(f => (f.Kind, NeedsPattern().Match(f.Problem).Groups[1].Value)).Take(40))
            output.WriteLine($"  [{f.Kind}] {f.Problem}\n      fix: {f.Fix}");
    }

    private static (List<string> Needed, string? SoName, List<string> RPath, List<string> RunPath) ReadElfDynamic(string text)
    {
        List<string> Values(string tag) => Regex.Matches(text, $@"\({tag}\)\s+\S.*?\[(.*)\]").Select(m => m.Groups[1].Value).ToList();
        return (Values("NEEDED"), Values("SONAME").SingleOrDefault(),
            Values("RPATH").SelectMany(v => v.Split(':', StringSplitOptions.RemoveEmptyEntries)).ToList(),
            Values("RUNPATH").SelectMany(v => v.Split(':', StringSplitOptions.RemoveEmptyEntries)).ToList());
    }

    private static List<string> ReadElfVersionNeeds(string text)
    {
        var start = text.IndexOf("Version needs section", StringComparison.Ordinal);
        if (start < 0) return [];
        var result = new List<string>();
        var file = "";
        foreach (var line in text[start..].Split('\n').Skip(1))
        {
            if (line.StartsWith("Version ", StringComparison.Ordinal)) break;
            if (Regex.Match(line, @"File: (\S+)") is { Success: true } f) file = f.Groups[1].Value;
            else if (Regex.Match(line, @"Name: (\S+)") is { Success: true } n) result.Add($"{file}:{n.Groups[1].Value}");
        }
        return result;
    }

    private static string Run(string fileName, params string[] args) => TestEnvironment.Run(fileName, args);
}
