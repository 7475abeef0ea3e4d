namespace LambdaSlim.Elf;

/// <summary>One program header (Elf32_Phdr / Elf64_Phdr): a segment the loader maps or reads.</summary>
public sealed record ElfProgramHeader(uint Type, uint Flags, ulong Offset, ulong VirtualAddress, ulong PhysicalAddress, ulong FileSize, ulong MemorySize, ulong Align)
{
    /// <summary>Parses one entry; ELF32 and ELF64 order the fields differently.</summary>
    public static ElfProgramHeader Parse(ElfHeader header, ReadOnlySpan<byte> entry)
    {
        var p = new ElfSpanReader(entry, header.LittleEndian);
        return header.Is64Bit
            ? new ElfProgramHeader(p.U32(0), p.U32(4), p.U64(8), p.U64(16), p.U64(24), p.U64(32), p.U64(40), p.U64(48))
            : new ElfProgramHeader(p.U32(0), p.U32(24), p.U32(4), p.U32(8), p.U32(12), p.U32(16), p.U32(20), p.U32(28));
    }

    /// <summary>
    /// Parses <paramref name="count"/> entries of <paramref name="entrySize"/> bytes from <paramref name="table"/>.
    /// Throws <see cref="ElfFormatException"/> when the table is shorter than that or the entries are too small.
    /// </summary>
    internal static List<ElfProgramHeader> ParseTable(ElfHeader header, ReadOnlySpan<byte> table, int entrySize, int count)
    {
        if (entrySize < header.ClassProgramHeaderSize) throw new ElfFormatException($"program header entry size {entrySize}");
        if ((long)entrySize * count > table.Length) throw new ElfFormatException("truncated: program header table");
        var result = new List<ElfProgramHeader>(count);
        for (var i = 0; i < count; i++) result.Add(Parse(header, table.Slice(i * entrySize, entrySize)));
        return result;
    }
}
