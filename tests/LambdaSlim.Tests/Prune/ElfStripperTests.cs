using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.RegularExpressions;
using LambdaSlim.Elf;
using LambdaSlim.Prune;
using Xunit.Abstractions;

namespace LambdaSlim.Tests.Prune;

/// <summary>
/// Strips real extension modules from the machine's CPython 3.11 site-packages and checks the results with
/// binutils (readelf, strip) and by importing them. Needs python3 (pyenv 3.11 with PyYAML) and binutils.
/// </summary>
public sealed partial class ElfStripperTests(ITestOutputHelper output)
{
    private const string YamlLoadScript =
        "import sys; sys.path.insert(0, sys.argv[1]); import yaml; assert yaml.__with_libyaml__; print(yaml.load('a: [1, 2]', Loader=yaml.CLoader))";

    private static string SitePackages => TestEnvironment.Python("import sysconfig;print(sysconfig.get_paths()['purelib'])").Trim();

    private static string YamlPackageDir => TestEnvironment.Python("import yaml, os; print(os.path.dirname(yaml.__file__))").Trim();

    private static string YamlExtension(string packageDir) => Directory.GetFiles(packageDir, "_yaml*.so").Single();

    [Trait("Category", "Integration")]
    [Fact]
    public void Stripped_yaml_extension_loses_debug_info_keeps_its_segments_and_still_imports_in_cpython()
    {
        var root = TestEnvironment.NewTempDir("strip-yaml");
        var package = Path.Combine(root, "yaml");
        TestEnvironment.CopyDirectory(YamlPackageDir, package);
        var so = YamlExtension(package);
        Run("readelf", "-SW", so).ShouldContain(".debug_info", customMessage: "the test needs an unstripped _yaml extension");
        var original = Path.Combine(root, "original.so");
        File.Copy(so, original);
        var stripped = so + ".stripped";

        var result = ElfStripper.Strip(so, stripped);

        result.Outcome.ShouldBe(StripOutcome.Stripped, result.Reason);
        result.Tool.ShouldBe(ElfStripper.PureTool);
        result.BytesAfter.ShouldBeLessThan(result.BytesBefore);
        new FileInfo(stripped).Length.ShouldBe(result.BytesAfter);
        var sections = Run("readelf", "-SW", stripped);
        sections.ShouldNotContain(".debug_");
        sections.ShouldNotContain(".symtab");
        sections.ShouldContain(".dynsym");
        Run("readelf", "-lW", stripped).ShouldBe(Run("readelf", "-lW", original));
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(stripped).ShouldBe(File.GetUnixFileMode(so), "the file mode is kept");

        File.Move(stripped, so, overwrite: true);
        Run("python3", "-S", "-c", YamlLoadScript, root).Trim().ShouldBe("{'a': [1, 2]}");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void Stripping_a_stripped_file_again_reports_AlreadyStripped_and_writes_nothing()
    {
        var root = TestEnvironment.NewTempDir("strip-again");
        var once = Path.Combine(root, "once.so");
        ElfStripper.Strip(YamlExtension(YamlPackageDir), once).Outcome.ShouldBe(StripOutcome.Stripped);
        var twice = Path.Combine(root, "twice.so");

        var result = ElfStripper.Strip(once, twice);

        result.Outcome.ShouldBe(StripOutcome.AlreadyStripped);
        result.BytesAfter.ShouldBe(result.BytesBefore);
        File.Exists(twice).ShouldBeFalse();
        Directory.GetFiles(root).Select(Path.GetFileName).ShouldBe(["once.so"], "no temp file is left behind");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void Two_strips_of_the_same_input_are_byte_identical()
    {
        var root = TestEnvironment.NewTempDir("strip-twice");
        var input = YamlExtension(YamlPackageDir);
        ElfStripper.Strip(input, Path.Combine(root, "a.so")).Outcome.ShouldBe(StripOutcome.Stripped);
        ElfStripper.Strip(input, Path.Combine(root, "b.so")).Outcome.ShouldBe(StripOutcome.Stripped);

        File.ReadAllBytes(Path.Combine(root, "b.so")).ShouldBe(File.ReadAllBytes(Path.Combine(root, "a.so")));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void Stripped_yaml_extension_is_within_one_percent_of_binutils_strip()
    {
        var root = TestEnvironment.NewTempDir("strip-size");
        var input = YamlExtension(YamlPackageDir);
        var ours = Path.Combine(root, "ours.so");
        var binutils = Path.Combine(root, "binutils.so");
        ElfStripper.Strip(input, ours).Outcome.ShouldBe(StripOutcome.Stripped);
        Run("strip", "--strip-unneeded", "-o", binutils, input);

        var (oursSize, theirsSize) = (new FileInfo(ours).Length, new FileInfo(binutils).Length);
        output.WriteLine($"{Path.GetFileName(input)}: original {new FileInfo(input).Length}, lambdaslim {oursSize}, binutils strip {theirsSize}");
        ((double)oursSize).ShouldBeLessThanOrEqualTo(theirsSize * 1.01);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void Every_extension_module_in_site_packages_keeps_its_segments_header_and_dynamic_symbols()
    {
        var root = TestEnvironment.NewTempDir("strip-all");
        var sitePackages = SitePackages;
        var libraries = Directory.EnumerateFiles(sitePackages, "*.so*", SearchOption.AllDirectories)
            .Where(f => SharedObjectName().IsMatch(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal).ToList();
        libraries.ShouldNotBeEmpty();

        var failures = new List<string>();
        var importable = new List<string>();
        var n = 0;
        foreach (var input in libraries)
        {
            var name = Path.GetRelativePath(sitePackages, input);
            var index = n++;
            var stripped = Path.Combine(root, $"{index}.so");
            var result = ElfStripper.Strip(input, stripped);
            var binutils = Path.Combine(root, $"{index}.binutils.so");
            Run("strip", "--strip-unneeded", "-o", binutils, input);
            output.WriteLine($"{result.Outcome,-15} {name}: {result.BytesBefore} -> {result.BytesAfter} (binutils strip {new FileInfo(binutils).Length}) " +
                $"[{result.Tool}] {result.Reason}");
            if (result.Outcome != StripOutcome.Stripped)
            {
                File.Exists(stripped).ShouldBeFalse();
                continue;
            }

            if (Run("readelf", "-lW", stripped) != Run("readelf", "-lW", input)) failures.Add($"{name}: program headers differ");
            if (HeaderIdentity(stripped) != HeaderIdentity(input)) failures.Add($"{name}: ELF type or machine differs");
            var symbols = DynamicSymbols(input);
            if (symbols.Count == 0) failures.Add($"{name}: no dynamic symbols parsed from readelf");
            if (!DynamicSymbols(stripped).SetEquals(symbols)) failures.Add($"{name}: dynamic symbols differ");
            if (Run("readelf", "-SW", stripped) is var sections && (sections.Contains(".debug_") || sections.Contains(".symtab")))
                failures.Add($"{name}: debug sections or .symtab left");
            importable.Add(ModuleName(name));
            importable.Add(stripped);
        }
        failures.ShouldBeEmpty();

        // The loader is the final judge: every stripped module must import under its real name.
        var imported = TestEnvironment.Python(ImportByPathScript, [.. importable]);
        imported.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(importable.Count / 2);
    }

    private const string ImportByPathScript = """
        import importlib.util, sys
        args = sys.argv[1:]
        for name, path in zip(args[::2], args[1::2]):
            spec = importlib.util.spec_from_file_location(name, path)
            spec.loader.exec_module(importlib.util.module_from_spec(spec))
            print("imported", name)
        """;

    /// <summary>"yaml/_yaml.cpython-311-x86_64-linux-gnu.so" is the module "yaml._yaml".</summary>
    private static string ModuleName(string relativePath) =>
        string.Join('.', [.. Path.GetDirectoryName(relativePath)!.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries),
            Path.GetFileName(relativePath).Split('.')[0]]);

    [Trait("Category", "Integration")]
    [Fact]
    public void Debug_bytes_inside_a_segment_are_refused_and_a_binutils_strip_that_changes_the_segment_is_rejected()
    {
        var root = TestEnvironment.NewTempDir("strip-covered");
        var original = YamlExtension(YamlPackageDir);
        var input = Path.Combine(root, "covered.so");
        File.WriteAllBytes(input, CoverFirstDebugSectionWithStackSegment(original));
        var stripped = Path.Combine(root, "out.so");

        var result = ElfStripper.Strip(input, stripped);

        output.WriteLine(result.Reason);
        result.Outcome.ShouldBe(StripOutcome.Unsupported);
        result.Reason.ShouldNotBeNull().ShouldContain("lies below the end of the mapped bytes");
        result.Reason.ShouldContain("binutils strip output rejected: program header");
        File.Exists(stripped).ShouldBeFalse();
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void Relocatable_object_falls_back_to_binutils_strip()
    {
        // Needs gcc: the pure path handles only shared objects and executables, so a .o exercises the fallback.
        var root = TestEnvironment.NewTempDir("strip-object");
        var source = Path.Combine(root, "add.c");
        File.WriteAllText(source, "int add_one(int x) { return x + 1; }\n");
        var input = Path.Combine(root, "add.o");
        Run("gcc", "-g", "-c", source, "-o", input);
        var stripped = Path.Combine(root, "add.stripped.o");

        var result = ElfStripper.Strip(input, stripped);

        result.Outcome.ShouldBe(StripOutcome.Stripped);
        result.Tool.ShouldBe(ElfStripper.BinutilsTool);
        result.Reason.ShouldNotBeNull().ShouldContain("ELF type 1");
        result.BytesAfter.ShouldBeLessThan(result.BytesBefore);
        Run("readelf", "-SW", stripped).ShouldNotContain(".debug_");
    }

    /// <summary>Gives PT_GNU_STACK file bytes over the first debug section, the way a careless patcher might.</summary>
    private static byte[] CoverFirstDebugSectionWithStackSegment(string path)
    {
        var debugLine = Run("readelf", "-SW", path).Split('\n').First(l => l.Contains("] .debug_"));
        var debugOffset = Convert.ToUInt64(debugLine[(debugLine.IndexOf(']') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], 16);
        var elf = File.ReadAllBytes(path);
        var header = ElfHeader.Parse(elf).Value.ShouldNotBeNull();
        var phoff = (int)header.ProgramHeaderOffset;
        var stack = Enumerable.Range(0, header.ProgramHeaderCount).Select(i => phoff + i * header.ProgramHeaderEntrySize)
            .Single(at => ElfProgramHeader.Parse(header, elf.AsSpan(at, header.ProgramHeaderEntrySize)).Type == ElfConstants.PtGnuStack);
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(stack + 8), debugOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(stack + 32), 0x100);
        return elf;
    }

    [Fact]
    public void Text_file_is_not_elf_and_gets_no_output()
    {
        var root = TestEnvironment.NewTempDir("strip-text");
        var input = Path.Combine(root, "README.txt");
        File.WriteAllText(input, "not a shared object\n");

        var result = ElfStripper.Strip(input, Path.Combine(root, "out"));

        result.Outcome.ShouldBe(StripOutcome.NotElf);
        result.Tool.ShouldBe("");
        File.Exists(Path.Combine(root, "out")).ShouldBeFalse();
    }

    [Fact]
    public void Ten_byte_file_with_elf_magic_is_rejected_without_an_exception()
    {
        var root = TestEnvironment.NewTempDir("strip-short");
        var input = Path.Combine(root, "libshort.so.1");
        File.WriteAllBytes(input, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0]);

        var result = ElfStripper.Strip(input, Path.Combine(root, "out"));

        result.Outcome.ShouldBeOneOf(StripOutcome.NotElf, StripOutcome.Unsupported);
        File.Exists(Path.Combine(root, "out")).ShouldBeFalse();
    }

    /// <summary>"Type:" and "Machine:" lines of readelf -h.</summary>
    private static string HeaderIdentity(string path) =>
        string.Join('\n', Run("readelf", "-hW", path).Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Type:") || l.StartsWith("Machine:")));

    /// <summary>Name and value of every dynamic symbol, from readelf --dyn-syms.</summary>
    private static HashSet<string> DynamicSymbols(string path) =>
        Run("readelf", "--dyn-syms", "-W", path).Split('\n')
            .Select(l => DynamicSymbolLine().Match(l))
            .Where(m => m.Success)
            .Select(m => $"{m.Groups["name"].Value}={m.Groups["value"].Value}")
            .ToHashSet();

    [GeneratedRegex(@"^\s*\d+:\s+(?<value>[0-9a-f]+)\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s*(?<name>.*?)\s*$")]
    private static partial Regex DynamicSymbolLine();

    [GeneratedRegex(@"\.so(\.\d+)*$")]
    private static partial Regex SharedObjectName();

    private static string Run(string fileName, params string[] args) => TestEnvironment.Run(fileName, args);
}
