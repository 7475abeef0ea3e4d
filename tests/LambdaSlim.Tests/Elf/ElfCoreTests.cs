using System.Buffers.Binary;
using System.Text.RegularExpressions;
using LambdaSlim.Elf;
using LambdaSlim.Prune;

namespace LambdaSlim.Tests.Elf;

public sealed partial class ElfCoreTests
{
    [Trait("Category", "Integration")]
    [Fact]
    public void Header_and_program_headers_of_a_real_binary_match_readelf()
    {
        // The running .NET host is a real ELF executable or PIE of this machine's architecture.
        var path = Environment.ProcessPath.ShouldNotBeNull();
        var bytes = File.ReadAllBytes(path);

        var header = ElfHeader.Parse(bytes).Value.ShouldNotBeNull();
        var programHeaders = Enumerable.Range(0, header.ProgramHeaderCount)
            .Select(i => ElfProgramHeader.Parse(header, bytes.AsSpan((int)header.ProgramHeaderOffset + i * header.ProgramHeaderEntrySize, header.ProgramHeaderEntrySize)))
            .ToList();

        var readelf = TestEnvironment.Run("readelf", "-hlW", path);
        header.Is64Bit.ShouldBeTrue();
        header.LittleEndian.ShouldBeTrue();
        ElfConstants.MachineName(header.Machine).ShouldBe(readelf.Contains("AArch64") ? "aarch64" : "x86_64");
        ((int)header.ProgramHeaderCount).ShouldBe(int.Parse(ReadElfCount().Match(readelf).Groups["n"].Value));
        var loads = programHeaders.Where(p => p.Type == ElfConstants.PtLoad).ToList();
        loads.Count.ShouldBe(Regex.Matches(readelf, @"^\s+LOAD\s", RegexOptions.Multiline).Count);
        loads.ShouldAllBe(p => p.Align <= 1 || (p.VirtualAddress - p.Offset) % p.Align == 0);
    }

    [Fact]
    public void Big_endian_32_bit_header_and_entries_are_read_in_their_own_byte_order_and_layout()
    {
        var bytes = new byte[ElfConstants.Header32Size + ElfConstants.ProgramHeader32Size + ElfConstants.SectionHeader32Size];
        "\u007FELF"u8.CopyTo(bytes);
        bytes[4] = ElfConstants.ClassElf32;
        bytes[5] = ElfConstants.DataBigEndian;
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(16), ElfConstants.TypeShared);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(18), ElfConstants.MachinePowerPc);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(28), ElfConstants.Header32Size); // e_phoff
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(32), ElfConstants.Header32Size + ElfConstants.ProgramHeader32Size); // e_shoff
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(42), ElfConstants.ProgramHeader32Size);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(44), 1);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(46), ElfConstants.SectionHeader32Size);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(48), 1);
        var ph = bytes.AsSpan(ElfConstants.Header32Size);
        BinaryPrimitives.WriteUInt32BigEndian(ph, ElfConstants.PtLoad);
        BinaryPrimitives.WriteUInt32BigEndian(ph[4..], 0x100); // p_offset
        BinaryPrimitives.WriteUInt32BigEndian(ph[8..], 0x10100); // p_vaddr
        BinaryPrimitives.WriteUInt32BigEndian(ph[24..], 5); // p_flags comes after the sizes in ELF32
        BinaryPrimitives.WriteUInt32BigEndian(ph[28..], 0x10000); // p_align
        var sh = bytes.AsSpan(ElfConstants.Header32Size + ElfConstants.ProgramHeader32Size);
        BinaryPrimitives.WriteUInt32BigEndian(sh[4..], ElfConstants.ShtDynamic);
        BinaryPrimitives.WriteUInt32BigEndian(sh[16..], 0x200); // sh_offset
        BinaryPrimitives.WriteUInt32BigEndian(sh[24..], 7); // sh_link

        var header = ElfHeader.Parse(bytes).Value.ShouldNotBeNull();
        var program = ElfProgramHeader.Parse(header, bytes.AsSpan((int)header.ProgramHeaderOffset, header.ProgramHeaderEntrySize));
        var section = ElfSectionHeader.Parse(header, bytes.AsSpan((int)header.SectionHeaderOffset, header.SectionHeaderEntrySize));

        header.ShouldSatisfyAllConditions(
            () => header.Is64Bit.ShouldBeFalse(),
            () => header.LittleEndian.ShouldBeFalse(),
            () => header.Type.ShouldBe(ElfConstants.TypeShared),
            () => ElfConstants.MachineName(header.Machine).ShouldBe("PowerPC"));
        program.ShouldBe(new ElfProgramHeader(ElfConstants.PtLoad, 5, 0x100, 0x10100, 0, 0, 0, 0x10000));
        section.Type.ShouldBe(ElfConstants.ShtDynamic);
        section.Offset.ShouldBe(0x200UL);
        section.Link.ShouldBe(7U);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, ElfProblem.NotElf, "not an ELF file")]
    [InlineData(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, ElfProblem.Malformed, "unknown ELF class 3")]
    [InlineData(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, ElfProblem.Malformed, "unknown ELF byte order 9")]
    [InlineData(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, ElfProblem.Malformed, "truncated: 20 bytes, shorter than an ELF header")]
    public void Malformed_headers_come_back_as_a_result_with_the_reason(byte[] bytes, ElfProblem problem, string error)
    {
        var result = ElfHeader.Parse(bytes);

        result.Value.ShouldBeNull();
        result.Problem.ShouldBe(problem);
        result.Error.ShouldBe(error);
    }

    [Fact]
    public void Reading_past_the_end_of_a_table_is_a_format_error_not_an_index_exception()
    {
        var error = Should.Throw<ElfFormatException>(() => new ElfSpanReader(new byte[6], littleEndian: true).U32(4));

        error.Message.ShouldStartWith("truncated:");
    }

    [Fact]
    public void Stripper_rejects_a_section_table_beyond_the_end_of_the_file_with_its_reason()
    {
        var root = TestEnvironment.NewTempDir("elf-core-strip");
        var input = Path.Combine(root, "libbroken.so");
        var bytes = new byte[ElfConstants.Header64Size];
        "\u007FELF"u8.CopyTo(bytes);
        bytes[4] = ElfConstants.ClassElf64;
        bytes[5] = ElfConstants.DataLittleEndian;
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(16), ElfConstants.TypeShared);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), ElfConstants.MachineX86_64);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), 1 << 20); // e_shoff far past the end
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(52), ElfConstants.Header64Size);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(58), ElfConstants.SectionHeader64Size);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), 2);
        File.WriteAllBytes(input, bytes);

        var image = ElfImage.Read(new MemoryBytes(bytes));

        image.Value.ShouldBeNull();
        image.Rejection.ShouldBe(new StripRejection(StripOutcome.Unsupported, "section header table lies beyond the end of the file"));
        var result = ElfStripper.Strip(input, Path.Combine(root, "out.so"));
        result.Outcome.ShouldBe(StripOutcome.Unsupported);
        File.Exists(Path.Combine(root, "out.so")).ShouldBeFalse();
    }

    [GeneratedRegex(@"Number of program headers:\s+(?<n>\d+)")]
    private static partial Regex ReadElfCount();
}
