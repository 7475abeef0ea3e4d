using System.Text;
using LambdaSlim.Elf;

namespace LambdaSlim.Prune;

/// <summary>The file range a program header covers; every byte of it is copied untouched.</summary>
internal sealed record ProgramHeaderRange(uint Type, long Offset, long FileSize)
{
    public long End => Offset + FileSize;
}

/// <summary>The headers of a 64-bit little-endian ELF file (the only kind Lambda runs), validated against the file size.</summary>
internal sealed class ElfImage
{
    public required byte[] Header { get; init; }
    public required IReadOnlyList<ProgramHeaderRange> ProgramHeaders { get; init; }
    public required long ProgramHeaderTableEnd { get; init; }
    public required IReadOnlyList<ElfSection> Sections { get; init; }
    public required int SectionNameTableIndex { get; init; }

    /// <summary>st_shndx of every dynamic symbol: they live in mapped bytes, so the sections they name must keep their index.</summary>
    public required IReadOnlySet<int> DynamicSymbolSections { get; init; }

    /// <summary>Reads and checks the headers. Never throws for what is in the file: anything it will not handle comes back as a rejection.</summary>
    public static StripStep<ElfImage> Read(IByteSource file)
    {
        var length = file.Length;
        var header = file.ReadAt(0, (ulong)Math.Min(length, ElfConstants.Header64Size)) ?? [];
        if (header.Length < 4 || !ElfConstants.HasMagic(header)) return StripStep<ElfImage>.Reject(StripOutcome.NotElf, "no ELF magic");
        if (header.Length < ElfConstants.Header64Size) return StripStep<ElfImage>.Reject(StripOutcome.NotElf, $"only {length} bytes, shorter than an ELF header");
        if (header[4] != ElfConstants.ClassElf64) return Unsupported($"ELF class {header[4]} (only ELFCLASS64 is handled)");
        if (header[5] != ElfConstants.DataLittleEndian) return Unsupported("big-endian ELF (only little-endian is handled)");
        if (header[6] != ElfConstants.VersionCurrent) return Unsupported($"ELF version {header[6]}");
        var parsed = ElfHeader.Parse(header);
        if (parsed.Value is not { } h) return Unsupported(parsed.Error!);

        if (h.Type is not (ElfConstants.TypeShared or ElfConstants.TypeExecutable)) return Unsupported($"ELF type {h.Type} (only shared objects and executables are handled)");
        if (h.Machine is not (ElfConstants.MachineX86_64 or ElfConstants.MachineAarch64)) return Unsupported($"machine {h.Machine} (only x86_64 and aarch64 are handled)");
        if (h.HeaderSize != ElfConstants.Header64Size) return Unsupported($"ELF header size {h.HeaderSize}");
        if (h.ProgramHeaderCount == ElfConstants.PnXNum) return Unsupported("extended program header numbering");
        if (h.ProgramHeaderCount > 0 && h.ProgramHeaderEntrySize != ElfConstants.ProgramHeader64Size) return Unsupported($"program header entry size {h.ProgramHeaderEntrySize}");
        if (h.SectionHeaderOffset == 0) return StripStep<ElfImage>.Reject(StripOutcome.AlreadyStripped, "no section header table");
        if (h.SectionHeaderCount == 0 || h.SectionNameIndex == ElfConstants.ShnXIndex) return Unsupported("extended section numbering");
        if (h.SectionHeaderEntrySize != ElfConstants.SectionHeader64Size) return Unsupported($"section header entry size {h.SectionHeaderEntrySize}");
        if (h.SectionNameIndex == 0 || h.SectionNameIndex >= h.SectionHeaderCount) return Unsupported("no section name table");

        var phnum = h.ProgramHeaderCount;
        var phTable = ReadRange(file, h.ProgramHeaderOffset, (ulong)phnum * ElfConstants.ProgramHeader64Size, "program header table", out var problem);
        if (phTable is null) return problem!;
        var programHeaders = new List<ProgramHeaderRange>(phnum);
        foreach (var (p, i) in ElfProgramHeader.ParseTable(h, phTable, ElfConstants.ProgramHeader64Size, phnum).Select((p, i) => (p, i)))
        {
            if (!ByteSource.InRange(length, p.Offset, p.FileSize)) return BeyondEnd($"program header {i}");
            programHeaders.Add(new ProgramHeaderRange(p.Type, (long)p.Offset, (long)p.FileSize));
        }

        var shnum = h.SectionHeaderCount;
        var shTable = ReadRange(file, h.SectionHeaderOffset, (ulong)shnum * ElfConstants.SectionHeader64Size, "section header table", out problem);
        if (shTable is null) return problem!;
        var raw = new List<(ElfSectionHeader Header, ulong Offset, byte[] Bytes)>(shnum);
        for (var i = 0; i < shnum; i++)
        {
            var bytes = shTable.AsSpan(i * ElfConstants.SectionHeader64Size, ElfConstants.SectionHeader64Size).ToArray();
            var s = ElfSectionHeader.Parse(h, bytes);
            var offset = s.Offset;
            if (s.Type != ElfConstants.ShtNobits && !ByteSource.InRange(length, offset, s.Size)) return BeyondEnd($"section {i}");
            if (s.Type == ElfConstants.ShtNobits && offset > (ulong)length) offset = (ulong)length; // NOBITS offsets carry no bytes; keep arithmetic in range
            raw.Add((s, offset, bytes));
        }

        var names = raw[h.SectionNameIndex].Header;
        if (names.Type != ElfConstants.ShtStrtab) return Unsupported("section name table is not a string table");
        var nameBytes = ReadRange(file, names.Offset, names.Size, "section name table", out problem);
        if (nameBytes is null) return problem!;
        var sections = new List<ElfSection>(shnum);
        for (var i = 0; i < raw.Count; i++)
        {
            var (s, offset, bytes) = raw[i];
            var name = NameAt(nameBytes, s.Name);
            if (name is null) return Unsupported($"section {i} name is {(s.Name >= nameBytes.Length ? "outside the section name table" : "not terminated")}");
            sections.Add(new ElfSection(i, name, s.Type, s.Flags, (long)offset,
                s.Type == ElfConstants.ShtNobits ? (long)Math.Min(s.Size, long.MaxValue) : (long)s.Size, s.Link, s.Info, s.AddrAlign, bytes));
        }

        var dynamicSymbolSections = ReadDynamicSymbolSections(file, sections, out problem);
        if (dynamicSymbolSections is null) return problem!;
        return StripStep<ElfImage>.Ok(new ElfImage
        {
            Header = header,
            ProgramHeaders = programHeaders,
            ProgramHeaderTableEnd = (long)h.ProgramHeaderOffset + (long)phnum * ElfConstants.ProgramHeader64Size,
            Sections = sections,
            SectionNameTableIndex = h.SectionNameIndex,
            DynamicSymbolSections = dynamicSymbolSections,
        });
    }

    private static HashSet<int>? ReadDynamicSymbolSections(IByteSource file, List<ElfSection> sections, out StripRejection? problem)
    {
        var used = new HashSet<int>();
        foreach (var dynsym in sections.Where(s => s.Type == ElfConstants.ShtDynsym))
        {
            var symbols = ReadRange(file, (ulong)dynsym.Offset, (ulong)dynsym.Size, dynsym.Name, out problem);
            if (symbols is null) return null;
            if (symbols.Length % ElfConstants.Symbol64Size != 0)
            {
                problem = StripRejection.Unsupported($"{dynsym.Name} size is not a multiple of {ElfConstants.Symbol64Size}");
                return null;
            }
            var reader = new ElfSpanReader(symbols, littleEndian: true);
            for (var at = 0; at < symbols.Length; at += ElfConstants.Symbol64Size)
            {
                var shndx = reader.U16(at + 6);
                if (shndx == ElfConstants.ShnXIndex)
                {
                    problem = StripRejection.Unsupported($"{dynsym.Name} uses extended section indexes");
                    return null;
                }
                if (shndx is > 0 and < ElfConstants.ShnLoReserve) used.Add(shndx);
            }
        }
        problem = null;
        return used;
    }

    /// <summary>The name at <paramref name="offset"/>, or null when it is outside the table or not terminated.</summary>
    private static string? NameAt(byte[] table, uint offset)
    {
        if (offset >= table.Length) return null;
        var rest = table.AsSpan((int)offset);
        var end = rest.IndexOf((byte)0);
        return end < 0 ? null : Encoding.Latin1.GetString(rest[..end]); // Latin-1 round-trips any byte, so rebuilt names are exact
    }

    /// <summary>The bytes of a range the headers name, or null with the reason when the file does not hold them.</summary>
    private static byte[]? ReadRange(IByteSource file, ulong offset, ulong size, string what, out StripRejection? problem)
    {
        if (!ByteSource.InRange(file.Length, offset, size))
        {
            problem = StripRejection.Unsupported($"{what} lies beyond the end of the file");
            return null;
        }
        var bytes = file.ReadAt(offset, size);
        problem = bytes is null ? StripRejection.Unsupported($"{what} is truncated") : null;
        return bytes;
    }

    private static StripRejection BeyondEnd(string what) => StripRejection.Unsupported($"{what} lies beyond the end of the file");

    private static StripRejection Unsupported(string reason) => StripRejection.Unsupported(reason);
}
