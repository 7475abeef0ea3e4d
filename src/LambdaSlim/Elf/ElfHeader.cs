namespace LambdaSlim.Elf;

/// <summary>The ELF file header (Elf32_Ehdr / Elf64_Ehdr), in either class and byte order.</summary>
public sealed record ElfHeader(
    bool Is64Bit,
    bool LittleEndian,
    byte Version,
    ushort Type,
    ushort Machine,
    ulong ProgramHeaderOffset,
    ulong SectionHeaderOffset,
    ushort HeaderSize,
    ushort ProgramHeaderEntrySize,
    ushort ProgramHeaderCount,
    ushort SectionHeaderEntrySize,
    ushort SectionHeaderCount,
    ushort SectionNameIndex)
{
    /// <summary>The size of the header for this class: 64 bytes for ELF64, 52 for ELF32.</summary>
    public int ClassHeaderSize => Is64Bit ? ElfConstants.Header64Size : ElfConstants.Header32Size;
    public int ClassProgramHeaderSize => Is64Bit ? ElfConstants.ProgramHeader64Size : ElfConstants.ProgramHeader32Size;
    public int ClassSectionHeaderSize => Is64Bit ? ElfConstants.SectionHeader64Size : ElfConstants.SectionHeader32Size;

    /// <summary>Reads the header from the first bytes of a file. Never throws.</summary>
    public static ElfParseResult<ElfHeader> Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < ElfConstants.IdentSize || !ElfConstants.HasMagic(bytes)) return ElfParseResult<ElfHeader>.Failed(ElfProblem.NotElf, "not an ELF file");
        if (bytes[4] is not (ElfConstants.ClassElf32 or ElfConstants.ClassElf64))
            return ElfParseResult<ElfHeader>.Failed(ElfProblem.Malformed, $"unknown ELF class {bytes[4]}");
        if (bytes[5] is not (ElfConstants.DataLittleEndian or ElfConstants.DataBigEndian))
            return ElfParseResult<ElfHeader>.Failed(ElfProblem.Malformed, $"unknown ELF byte order {bytes[5]}");
        var is64 = bytes[4] == ElfConstants.ClassElf64;
        var headerSize = is64 ? ElfConstants.Header64Size : ElfConstants.Header32Size;
        if (bytes.Length < headerSize)
            return ElfParseResult<ElfHeader>.Failed(ElfProblem.Malformed, $"truncated: {bytes.Length} bytes, shorter than an ELF header");

        var h = new ElfSpanReader(bytes, bytes[5] == ElfConstants.DataLittleEndian);
        return ElfParseResult<ElfHeader>.Ok(new ElfHeader(
            is64,
            bytes[5] == ElfConstants.DataLittleEndian,
            bytes[6],
            h.U16(16),
            h.U16(18),
            h.Word(is64, 32, 28),
            h.Word(is64, 40, 32),
            h.U16(is64 ? 52 : 40),
            h.U16(is64 ? 54 : 42),
            h.U16(is64 ? 56 : 44),
            h.U16(is64 ? 58 : 46),
            h.U16(is64 ? 60 : 48),
            h.U16(is64 ? 62 : 50)));
    }
}
