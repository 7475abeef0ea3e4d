using System.Text;
using LambdaSlim.Elf;

namespace LambdaSlim.Audit;

/// <summary>
/// Finds the dynamic section through the section headers, and through the PT_DYNAMIC program header when the
/// section headers are gone (sstrip) or broken: the loader itself only ever uses the program headers.
/// Every offset and count read from the file is checked against the file before use.
/// </summary>
internal sealed class ElfInfoParser
{
    // Far above anything real (glibc's own tables have a few hundred entries); they stop garbage from looping long.
    private const int MaxTableEntries = 1 << 20;
    private const int MaxStringLength = 1 << 16;
    private const ulong MaxTableBytes = 64UL << 20;

    private readonly IByteSource _file;
    private readonly ElfHeader _header;

    private ElfInfoParser(IByteSource file, ElfHeader header)
    {
        _file = file;
        _header = header;
    }

    private bool Is64 => _header.Is64Bit;

    private sealed record Region(ulong Offset, ulong Size);
    private sealed record DynamicTables(Region Dynamic, Region? Strings, Region? VersionNeeds, uint VersionNeedCount);

    public static ElfReadResult Parse(IByteSource file)
    {
        try
        {
            var ident = file.ReadAt(0, (ulong)Math.Min(file.Length, ElfConstants.Header64Size));
            if (ident is null) return ElfReadResult.Failed("not an ELF file");
            var header = ElfHeader.Parse(ident);
            if (header.Value is null) return ElfReadResult.Failed(header.Error!);
            return new ElfInfoParser(file, header.Value).ReadInfo();
        }
        catch (ElfFormatException e)
        {
            return ElfReadResult.Failed(e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The public contract is "never throws": a file this parser trips over is reported, not fatal to the audit.
            return ElfReadResult.Failed($"cannot parse: {e.Message}");
        }
    }

    /// <summary>A range of the file, or null when it is not all inside the file or is larger than any real table.</summary>
    private byte[]? ReadAt(ulong offset, ulong count) => count <= MaxTableBytes ? _file.ReadAt(offset, count) : null;

    private bool Contains(ulong offset, ulong count) => count <= MaxTableBytes && _file.Contains(offset, count);

    private ElfReadResult ReadInfo()
    {
        var segments = ReadSegments();
        var tables = FromSections() ?? FromProgramHeaders(segments);
        if (tables is null)
            return new ElfReadResult(new ElfInfo(Is64, _header.LittleEndian, _header.Type, _header.Machine, [], null, [], [], []), null);
        return new ElfReadResult(ReadDynamic(tables, segments), null);
    }

    private List<ElfProgramHeader> ReadSegments()
    {
        var (offset, entrySize, count) = (_header.ProgramHeaderOffset, _header.ProgramHeaderEntrySize, _header.ProgramHeaderCount);
        if (count == 0 || offset == 0 || entrySize < _header.ClassProgramHeaderSize) return [];
        var table = ReadAt(offset, (ulong)count * entrySize);
        return table is null ? [] : ElfProgramHeader.ParseTable(_header, table, entrySize, count);
    }

    /// <summary>The dynamic, string and version-need tables as the section headers give them; null when they don't.</summary>
    private DynamicTables? FromSections()
    {
        var (offset, entrySize, declaredCount) = (_header.SectionHeaderOffset, _header.SectionHeaderEntrySize, _header.SectionHeaderCount);
        if (offset == 0 || entrySize < _header.ClassSectionHeaderSize) return null;
        var first = ReadAt(offset, entrySize);
        if (first is null) return null;
        // More than 0xff00 sections: e_shnum is 0 and section 0's sh_size holds the real count.
        var count = declaredCount != 0 ? declaredCount : ElfSectionHeader.Parse(_header, first).Size;
        if (count == 0 || count > MaxTableEntries) return null;
        var table = ReadAt(offset, count * entrySize);
        if (table is null) return null;

        var sections = Enumerable.Range(0, (int)count).Select(i => ElfSectionHeader.Parse(_header, table.AsSpan(i * entrySize, entrySize))).ToList();
        var dynamic = sections.FirstOrDefault(s => s.Type == ElfConstants.ShtDynamic);
        if (dynamic is null || !Contains(dynamic.Offset, dynamic.Size)) return null;
        var strings = dynamic.Link < sections.Count ? sections[(int)dynamic.Link] : null;
        var verneed = sections.FirstOrDefault(s => s.Type == ElfConstants.ShtGnuVerneed);
        return new DynamicTables(
            new Region(dynamic.Offset, dynamic.Size),
            strings is null || !Contains(strings.Offset, strings.Size) ? null : new Region(strings.Offset, strings.Size),
            verneed is null || !Contains(verneed.Offset, verneed.Size) ? null : new Region(verneed.Offset, verneed.Size),
            verneed?.Info ?? 0);
    }

    /// <summary>PT_DYNAMIC, with the string and version tables found by their addresses in the loaded image.</summary>
    private DynamicTables? FromProgramHeaders(List<ElfProgramHeader> segments)
    {
        var dynamic = segments.FirstOrDefault(s => s.Type == ElfConstants.PtDynamic);
        if (dynamic is null) return null;
        if (!Contains(dynamic.Offset, dynamic.FileSize))
            throw new ElfFormatException($"truncated: the dynamic segment at offset {dynamic.Offset} runs past the end of the file ({_file.Length} bytes)");
        // Strings and version needs are located by ReadDynamic from DT_STRTAB and DT_VERNEED.
        return new DynamicTables(new Region(dynamic.Offset, dynamic.FileSize), null, null, 0);
    }

    private ElfInfo ReadDynamic(DynamicTables tables, List<ElfProgramHeader> segments)
    {
        var entrySize = Is64 ? 16 : 8;
        var bytes = ReadAt(tables.Dynamic.Offset, tables.Dynamic.Size)
            ?? throw new ElfFormatException($"truncated: .dynamic at offset {tables.Dynamic.Offset} runs past the end of the file");
        var entries = new List<(long Tag, ulong Value)>();
        for (var at = 0; at + entrySize <= bytes.Length && entries.Count < MaxTableEntries; at += entrySize)
        {
            var e = new ElfSpanReader(bytes.AsSpan(at, entrySize), _header.LittleEndian);
            var tag = Is64 ? (long)e.U64(0) : (int)e.U32(0);
            if (tag == ElfConstants.DtNull) break;
            entries.Add((tag, e.Word(Is64, 8, 4)));
        }

        ulong? Value(long tag) => entries.Where(e => e.Tag == tag).Select(e => (ulong?)e.Value).FirstOrDefault();
        var strings = tables.Strings;
        if (strings is null && Value(ElfConstants.DtStrtab) is { } strtab)
        {
            var offset = ToFileOffset(strtab, segments) ?? throw new ElfFormatException($"DT_STRTAB address 0x{strtab:x} is in no loaded segment");
            strings = new Region(offset, Math.Min(Value(ElfConstants.DtStrsz) ?? 0, (ulong)_file.Length - offset));
        }
        var needsStrings = entries.Any(e => e.Tag is ElfConstants.DtNeeded or ElfConstants.DtSoname or ElfConstants.DtRpath or ElfConstants.DtRunpath);
        if (strings is null && needsStrings) throw new ElfFormatException("the dynamic section names libraries but has no string table");

        string Text(ulong index) => StringAt(strings!, index);
        var needed = entries.Where(e => e.Tag == ElfConstants.DtNeeded).Select(e => Text(e.Value)).ToList();
        var soname = Value(ElfConstants.DtSoname) is { } so ? Text(so) : null;
        var rpath = entries.Where(e => e.Tag == ElfConstants.DtRpath).SelectMany(e => SplitPath(Text(e.Value))).ToList();
        var runpath = entries.Where(e => e.Tag == ElfConstants.DtRunpath).SelectMany(e => SplitPath(Text(e.Value))).ToList();

        var verneed = tables.VersionNeeds;
        var verneedCount = tables.VersionNeedCount;
        if (verneed is null && Value(ElfConstants.DtVerneed) is { } address)
        {
            var offset = ToFileOffset(address, segments) ?? throw new ElfFormatException($"DT_VERNEED address 0x{address:x} is in no loaded segment");
            verneed = new Region(offset, (ulong)_file.Length - offset);
            verneedCount = (uint)Math.Min(Value(ElfConstants.DtVerneednum) ?? 0, MaxTableEntries);
        }
        var needs = verneed is null || strings is null ? [] : ReadVersionNeeds(verneed, verneedCount, strings);
        return new ElfInfo(Is64, _header.LittleEndian, _header.Type, _header.Machine, needed, soname, rpath, runpath, needs);
    }

    private static IEnumerable<string> SplitPath(string value) => value.Split(':', StringSplitOptions.RemoveEmptyEntries);

    private static ulong? ToFileOffset(ulong address, List<ElfProgramHeader> segments) =>
        segments.Where(s => s.Type == ElfConstants.PtLoad && address >= s.VirtualAddress && address - s.VirtualAddress < s.FileSize)
            .Select(s => (ulong?)(s.Offset + (address - s.VirtualAddress))).FirstOrDefault();

    /// <summary>
    /// Walks the Elf_Verneed chain: each entry names a library (vn_file) and links vn_cnt Elf_Vernaux entries
    /// naming the versions needed from it. Entries and their aux lists are linked by relative offsets.
    /// </summary>
    private List<ElfVersionNeed> ReadVersionNeeds(Region table, uint count, Region strings)
    {
        var result = new List<ElfVersionNeed>();
        var at = 0UL;
        for (var i = 0; i < MaxTableEntries && (count == 0 || i < count); i++)
        {
            var bytes = ReadAt(table.Offset + at, 16) ?? throw new ElfFormatException("truncated: .gnu.version_r entry past the end of the file");
            if (at + 16 > table.Size) throw new ElfFormatException("truncated: .gnu.version_r entry past the end of its section");
            var entry = new ElfSpanReader(bytes, _header.LittleEndian);
            var auxCount = entry.U16(2);
            var file = StringAt(strings, entry.U32(4));
            var versions = new List<string>(auxCount);
            var auxAt = at + entry.U32(8);
            for (var j = 0; j < auxCount; j++)
            {
                if (auxAt + 16 > table.Size) throw new ElfFormatException("truncated: .gnu.version_r version past the end of its section");
                var auxBytes = ReadAt(table.Offset + auxAt, 16) ?? throw new ElfFormatException("truncated: .gnu.version_r version past the end of the file");
                var aux = new ElfSpanReader(auxBytes, _header.LittleEndian);
                versions.Add(StringAt(strings, aux.U32(8)));
                var nextAux = aux.U32(12);
                if (nextAux == 0) break;
                auxAt += nextAux;
            }
            result.Add(new ElfVersionNeed(file, versions));
            var next = entry.U32(12);
            if (next == 0) break;
            at += next;
        }
        return result;
    }

    private string StringAt(Region table, ulong index)
    {
        if (index >= table.Size) throw new ElfFormatException($"string offset {index} is outside the string table ({table.Size} bytes)");
        var available = Math.Min(table.Size - index, MaxStringLength);
        // Most names are short; read a little first and only read more for a long RPATH.
        for (var chunk = Math.Min(available, 256UL); ; chunk = Math.Min(available, chunk * 16))
        {
            var bytes = ReadAt(table.Offset + index, chunk) ?? throw new ElfFormatException("truncated: string table past the end of the file");
            var end = Array.IndexOf(bytes, (byte)0);
            if (end >= 0) return Encoding.UTF8.GetString(bytes, 0, end);
            if (chunk == available) throw new ElfFormatException($"unterminated string at offset {index} of the string table");
        }
    }
}
