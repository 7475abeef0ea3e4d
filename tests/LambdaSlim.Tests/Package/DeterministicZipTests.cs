using System.IO.Compression;
using System.Text;
using LambdaSlim.Package;

namespace LambdaSlim.Tests.Package;

public class DeterministicZipTests
{
    private static List<ZipEntrySource> SampleTree(string dir)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["python/pkg/__init__.py"] = Encoding.UTF8.GetBytes("X = 1\n" + new string('#', 5000)),
            ["python/pkg/_native.cpython-311-x86_64-linux-gnu.so"] = [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0],
            ["python/bin/tool"] = Encoding.UTF8.GetBytes("#!/usr/bin/env python3\nprint(1)\n"),
            ["python/pkg/data.bin"] = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray(),
            ["python/pkg/empty.txt"] = [],
            ["python/lib/libfoo.so.1.2"] = Encoding.UTF8.GetBytes("not really elf"),
        };
        var entries = new List<ZipEntrySource>();
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(dir, name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            entries.Add(new ZipEntrySource(name, path));
        }
        return entries;
    }

    private static async Task<(byte[] Bytes, ZipResult Result)> Zip(IReadOnlyList<ZipEntrySource> entries, Deflater? deflater = null)
    {
        var ms = new MemoryStream();
        var result = await DeterministicZip.WriteAsync(ms, entries, deflater: deflater);
        return (ms.ToArray(), result);
    }

    [Fact]
    public async Task Same_inputs_give_byte_identical_zips_whatever_the_input_order_and_file_times()
    {
        var dir = TestEnvironment.NewTempDir("zip");
        var entries = SampleTree(dir);
        var (first, r1) = await Zip(entries);
        foreach (var e in entries) File.SetLastWriteTimeUtc(e.SourcePath, DateTime.UtcNow.AddDays(-3));
        entries.Reverse();
        var (second, r2) = await Zip(entries);
        second.ShouldBe(first);
        r2.Sha256.ShouldBe(r1.Sha256);
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(first)).ShouldBe(r1.Sha256);
        r1.ZippedBytes.ShouldBe(first.Length);
    }

    [Fact]
    public async Task Entries_are_sorted_with_fixed_times_and_unix_modes_from_content()
    {
        var dir = TestEnvironment.NewTempDir("zip");
        var (bytes, result) = await Zip(SampleTree(dir));
        result.FileCount.ShouldBe(6);
        using var archive = new ZipArchive(new MemoryStream(bytes));
        var names = archive.Entries.Select(e => e.FullName).ToList();
        names.ShouldBe(names.Order(StringComparer.Ordinal).ToList());
        foreach (var e in archive.Entries)
        {
            e.LastWriteTime.Year.ShouldBe(1980);
            var mode = (e.ExternalAttributes >> 16) & 0x1FF;
            var expected = e.FullName.EndsWith(".so") || e.FullName.EndsWith(".so.1.2") || e.FullName.EndsWith("bin/tool") ? 0b111_101_101 : 0b110_100_100;
            mode.ShouldBe(expected, e.FullName);
            ((e.ExternalAttributes >> 16) & 0xF000).ShouldBe(0x8000, "regular file type bits");
        }
    }

    [Trait("Category", "Integration")]
    [Theory]
    [InlineData("default")]
    [InlineData("dotnet")]
    public async Task Real_cpython_reads_every_entry_back_with_the_right_content_and_mode(string deflater)
    {
        var dir = TestEnvironment.NewTempDir("zip");
        var entries = SampleTree(dir);
        var (bytes, _) = await Zip(entries, deflater == "dotnet" ? Deflater.DotNet : Deflater.Default);
        var zipPath = Path.Combine(dir, "out.zip");
        await File.WriteAllBytesAsync(zipPath, bytes);
        var listing = TestEnvironment.Python("""
            import sys, zipfile, hashlib
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            for i in z.infolist():
                print(i.filename, oct(i.external_attr >> 16), i.create_system, hashlib.sha256(z.read(i)).hexdigest())
            """, zipPath);
        var lines = listing.Trim().Split('\n').Select(l => l.Split(' ')).ToDictionary(p => p[0]);
        foreach (var e in entries)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(e.SourcePath)));
            lines[e.ArchivePath][3].ShouldBe(hash);
            lines[e.ArchivePath][2].ShouldBe("3", "made on Unix, so unzip and Lambda honour the mode");
        }
        lines["python/pkg/__init__.py"][1].ShouldBe("0o100644");
        lines["python/bin/tool"][1].ShouldBe("0o100755");
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task More_than_65535_entries_get_a_zip64_directory_that_python_reads()
    {
        var dir = TestEnvironment.NewTempDir("zip64");
        var file = Path.Combine(dir, "f.txt");
        await File.WriteAllTextAsync(file, "x");
        var entries = Enumerable.Range(0, 70_000).Select(i => new ZipEntrySource($"d/{i:D6}.txt", file)).ToList();
        var (bytes, result) = await Zip(entries);
        result.FileCount.ShouldBe(70_000);
        var zipPath = Path.Combine(dir, "big.zip");
        await File.WriteAllBytesAsync(zipPath, bytes);
        TestEnvironment.Python("import sys, zipfile; n = len(zipfile.ZipFile(sys.argv[1]).namelist()); print(n)", zipPath).Trim().ShouldBe("70000");
    }

    [Fact]
    public async Task Duplicate_archive_paths_are_refused()
    {
        var dir = TestEnvironment.NewTempDir("zip");
        var entries = SampleTree(dir);
        entries.Add(entries[0] with { });
        await Should.ThrowAsync<InvalidOperationException>(() => Zip(entries));
    }
}
