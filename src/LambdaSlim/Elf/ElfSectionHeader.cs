namespace LambdaSlim.Elf;

/// <summary>One section header (Elf32_Shdr / Elf64_Shdr).</summary>
public sealed record ElfSectionHeader(uint Name, uint Type, ulong Flags, ulong Address, ulong Offset, ulong Size, uint Link, uint Info, ulong AddrAlign, ulong EntrySize)
{
    public static ElfSectionHeader Parse(ElfHeader header, ReadOnlySpan<byte> entry)
    {
        var s = new ElfSpanReader(entry, header.LittleEndian);
        return header.Is64Bit
            ? new ElfSectionHeader(s.U32(0), s.U32(4), s.U64(8), s.U64(16), s.U64(24), s.U64(32), s.U32(40), s.U32(44), s.U64(48), s.U64(56))
            : new ElfSectionHeader(s.U32(0), s.U32(4), s.U32(8), s.U32(12), s.U32(16), s.U32(20), s.U32(24), s.U32(28), s.U32(32), s.U32(36));
    }
}
