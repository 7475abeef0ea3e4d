using System.Buffers.Binary;
using System.Text;

namespace LambdaSlim.Audit;

/// <summary>The symbol versions a binary needs from one library it links (one entry of <c>.gnu.version_r</c>).</summary>
public sealed record ElfVersionNeed(string File, IReadOnlyList<string> Versions);

/// <summary>
/// What the dynamic loader reads from an ELF file before it can load it: class, byte order, type, machine,
/// the libraries it needs, where it looks for them, and the symbol versions it needs from each.
/// </summary>
public sealed record ElfInfo(
    bool Is64Bit,
    bool LittleEndian,
    ushort Type,
    ushort Machine,
    IReadOnlyList<string> Needed,
    string? SoName,
    IReadOnlyList<string> RPath,
    IReadOnlyList<string> RunPath,
    IReadOnlyList<ElfVersionNeed> VersionNeeds)
{
    public const ushort TypeRelocatable = 1, TypeExecutable = 2, TypeShared = 3;
    public const ushort MachineX86_64 = 62, MachineAarch64 = 183;

    /// <summary>Executables and shared objects are what the loader maps; relocatable objects (.o) never load.</summary>
    public bool IsLoadable => Type is TypeExecutable or TypeShared;

    public static string MachineName(ushort machine) => machine switch
    {
        MachineX86_64 => "x86_64",
        MachineAarch64 => "aarch64",
        3 => "i386",
        8 => "MIPS",
        20 => "PowerPC",
        21 => "PowerPC64",
        22 => "s390",
        40 => "ARM (32-bit)",
        243 => "RISC-V",
        _ => $"machine {machine}",
    };

    /// <summary>Reads an ELF file. Never throws: unreadable, truncated or garbage files come back as an error.</summary>
    public static ElfReadResult Read(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            return ElfInfoParser.Parse(new FileBytes(handle, RandomAccess.GetLength(handle)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ElfReadResult.Failed($"cannot read: {e.Message}");
        }
    }

    /// <summary>Reads ELF bytes held in memory. Never throws.</summary>
    public static ElfReadResult Parse(byte[] bytes) => ElfInfoParser.Parse(new MemoryBytes(bytes));
}

public sealed record ElfReadResult(ElfInfo? Info, string? Error)
{
    public static ElfReadResult Failed(string error) => new(null, error);
}

/// <summary>Random access to a file's bytes, so a 500 MB libtorch is read a few KB at a time.</summary>
internal interface IByteSource
{
    long Length { get; }

    /// <summary>The bytes at [offset, offset+count), or null when that range is not all inside the file.</summary>
    byte[]? ReadAt(ulong offset, ulong count);
}

internal sealed class FileBytes(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length) : IByteSource
{
    public long Length => length;

    public byte[]? ReadAt(ulong offset, ulong count)
    {
        if (!ElfInfoParser.InRange(length, offset, count)) return null;
        var buffer = new byte[count];
        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(done), (long)offset + done);
            if (n == 0) return null;
            done += n;
        }
        return buffer;
    }
}

internal sealed class MemoryBytes(byte[] bytes) : IByteSource
{
    public long Length => bytes.Length;

    public byte[]? ReadAt(ulong offset, ulong count) =>
        ElfInfoParser.InRange(bytes.Length, offset, count) ? bytes.AsSpan((int)offset, (int)count).ToArray() : null;
}

/// <summary>
/// Finds the dynamic section through the section headers, and through the PT_DYNAMIC program header when the
/// section headers are gone (sstrip) or broken: the loader itself only ever uses the program headers.
/// Every offset and count read from the file is checked against the file before use.
/// </summary>
internal sealed class ElfInfoParser
{
    private const uint ShtDynamic = 6, ShtGnuVerneed = 0x6ffffffe;
    private const uint PtLoad = 1, PtDynamic = 2;
    private const long DtNull = 0, DtNeeded = 1, DtStrtab = 5, DtStrsz = 10, DtSoname = 14, DtRpath = 15, DtRunpath = 29;
    private const long DtVerneed = 0x6ffffffe, DtVerneednum = 0x6fffffff;

    // Far above anything real (glibc's own tables have a few hundred entries); they stop garbage from looping long.
    private const int MaxTableEntries = 1 << 20;
    private const int MaxStringLength = 1 << 16;
    private const ulong MaxTableBytes = 64UL << 20;

    private readonly IByteSource _file;
    private readonly bool _is64;
    private readonly bool _little;

    private ElfInfoParser(IByteSource file, bool is64, bool little)
    {
        _file = file;
        _is64 = is64;
        _little = little;
    }

    private sealed record Region(ulong Offset, ulong Size);
    private sealed record Segment(uint Type, ulong Offset, ulong VAddr, ulong FileSize);
    private sealed record DynamicTables(Region Dynamic, Region? Strings, Region? VersionNeeds, uint VersionNeedCount);

    internal static bool InRange(long length, ulong offset, ulong count) =>
        count <= MaxTableBytes && offset <= (ulong)length && count <= (ulong)length - offset;

    public static ElfReadResult Parse(IByteSource file)
    {
        try
        {
            var ident = file.ReadAt(0, (ulong)Math.Min(file.Length, 64));
            if (ident is null || ident.Length < 16 || !NativeFileKinds.IsElf(ident)) return ElfReadResult.Failed("not an ELF file");
            if (ident[4] is not (1 or 2)) return ElfReadResult.Failed($"unknown ELF class {ident[4]}");
            if (ident[5] is not (1 or 2)) return ElfReadResult.Failed($"unknown ELF byte order {ident[5]}");
            var parser = new ElfInfoParser(file, ident[4] == 2, ident[5] == 1);
            return parser.ParseHeader(ident);
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

    private ElfReadResult ParseHeader(byte[] header)
    {
        var headerSize = _is64 ? 64 : 52;
        if (header.Length < headerSize) return ElfReadResult.Failed($"truncated: {header.Length} bytes, shorter than an ELF header");
        var h = header.AsSpan();
        var type = U16(h[16..]);
        var machine = U16(h[18..]);
        var phoff = _is64 ? U64(h[32..]) : U32(h[28..]);
        var shoff = _is64 ? U64(h[40..]) : U32(h[32..]);
        var phentsize = U16(h[(_is64 ? 54 : 42)..]);
        var phnum = U16(h[(_is64 ? 56 : 44)..]);
        var shentsize = U16(h[(_is64 ? 58 : 46)..]);
        var shnum = U16(h[(_is64 ? 60 : 48)..]);

        var segments = ReadSegments(phoff, phentsize, phnum);
        var tables = FromSections(shoff, shentsize, shnum) ?? FromProgramHeaders(segments);
        if (tables is null)
            return new ElfReadResult(new ElfInfo(_is64, _little, type, machine, [], null, [], [], []), null);
        return new ElfReadResult(ReadDynamic(type, machine, tables, segments), null);
    }

    private List<Segment> ReadSegments(ulong phoff, ushort entrySize, ushort count)
    {
        var expected = _is64 ? 56 : 32;
        if (count == 0 || phoff == 0 || entrySize < expected) return [];
        var table = _file.ReadAt(phoff, (ulong)count * entrySize);
        if (table is null) return [];
        var result = new List<Segment>(count);
        for (var i = 0; i < count; i++)
        {
            var p = table.AsSpan(i * entrySize, entrySize);
            result.Add(_is64
                ? new Segment(U32(p), U64(p[8..]), U64(p[16..]), U64(p[32..]))
                : new Segment(U32(p), U32(p[4..]), U32(p[8..]), U32(p[16..])));
        }
        return result;
    }

    /// <summary>The dynamic, string and version-need tables as the section headers give them; null when they don't.</summary>
    private DynamicTables? FromSections(ulong shoff, ushort entrySize, ushort declaredCount)
    {
        var expected = _is64 ? 64 : 40;
        if (shoff == 0 || entrySize < expected) return null;
        var first = _file.ReadAt(shoff, entrySize);
        if (first is null) return null;
        // More than 0xff00 sections: e_shnum is 0 and section 0's sh_size holds the real count.
        var count = declaredCount != 0 ? declaredCount : (ulong)Section(first).Size;
        if (count == 0 || count > MaxTableEntries) return null;
        var table = _file.ReadAt(shoff, count * entrySize);
        if (table is null) return null;

        var sections = Enumerable.Range(0, (int)count).Select(i => Section(table.AsSpan(i * entrySize, entrySize))).ToList();
        var dynamic = sections.FirstOrDefault(s => s.Type == ShtDynamic);
        if (dynamic is null || !_file.Contains(dynamic.Offset, dynamic.Size)) return null;
        var strings = dynamic.Link < sections.Count ? sections[(int)dynamic.Link] : null;
        var verneed = sections.FirstOrDefault(s => s.Type == ShtGnuVerneed);
        return new DynamicTables(
            new Region(dynamic.Offset, dynamic.Size),
            strings is null || !_file.Contains(strings.Offset, strings.Size) ? null : new Region(strings.Offset, strings.Size),
            verneed is null || !_file.Contains(verneed.Offset, verneed.Size) ? null : new Region(verneed.Offset, verneed.Size),
            verneed?.Info ?? 0);
    }

    private sealed record SectionHeader(uint Type, ulong Offset, ulong Size, uint Link, uint Info);

    private SectionHeader Section(ReadOnlySpan<byte> s) => _is64
        ? new SectionHeader(U32(s[4..]), U64(s[24..]), U64(s[32..]), U32(s[40..]), U32(s[44..]))
        : new SectionHeader(U32(s[4..]), U32(s[16..]), U32(s[20..]), U32(s[24..]), U32(s[28..]));

    /// <summary>PT_DYNAMIC, with the string and version tables found by their addresses in the loaded image.</summary>
    private DynamicTables? FromProgramHeaders(List<Segment> segments)
    {
        var dynamic = segments.FirstOrDefault(s => s.Type == PtDynamic);
        if (dynamic is null) return null;
        if (!_file.Contains(dynamic.Offset, dynamic.FileSize))
            throw new ElfFormatException($"truncated: the dynamic segment at offset {dynamic.Offset} runs past the end of the file ({_file.Length} bytes)");
        // Strings and version needs are located by ReadDynamic from DT_STRTAB and DT_VERNEED.
        return new DynamicTables(new Region(dynamic.Offset, dynamic.FileSize), null, null, 0);
    }

    private ElfInfo ReadDynamic(ushort type, ushort machine, DynamicTables tables, List<Segment> segments)
    {
        var entrySize = _is64 ? 16 : 8;
        var bytes = _file.ReadAt(tables.Dynamic.Offset, tables.Dynamic.Size)
            ?? throw new ElfFormatException($"truncated: .dynamic at offset {tables.Dynamic.Offset} runs past the end of the file");
        var entries = new List<(long Tag, ulong Value)>();
        for (var at = 0; at + entrySize <= bytes.Length && entries.Count < MaxTableEntries; at += entrySize)
        {
            var e = bytes.AsSpan(at, entrySize);
            var tag = _is64 ? (long)U64(e) : (int)U32(e);
            if (tag == DtNull) break;
            entries.Add((tag, _is64 ? U64(e[8..]) : U32(e[4..])));
        }

        ulong? Value(long tag) => entries.Where(e => e.Tag == tag).Select(e => (ulong?)e.Value).FirstOrDefault();
        var strings = tables.Strings;
        if (strings is null && Value(DtStrtab) is { } strtab)
        {
            var offset = ToFileOffset(strtab, segments) ?? throw new ElfFormatException($"DT_STRTAB address 0x{strtab:x} is in no loaded segment");
            strings = new Region(offset, Math.Min(Value(DtStrsz) ?? 0, (ulong)_file.Length - offset));
        }
        var needsStrings = entries.Any(e => e.Tag is DtNeeded or DtSoname or DtRpath or DtRunpath);
        if (strings is null && needsStrings) throw new ElfFormatException("the dynamic section names libraries but has no string table");

        string Text(ulong index) => StringAt(strings!, index);
        var needed = entries.Where(e => e.Tag == DtNeeded).Select(e => Text(e.Value)).ToList();
        var soname = Value(DtSoname) is { } so ? Text(so) : null;
        var rpath = entries.Where(e => e.Tag == DtRpath).SelectMany(e => SplitPath(Text(e.Value))).ToList();
        var runpath = entries.Where(e => e.Tag == DtRunpath).SelectMany(e => SplitPath(Text(e.Value))).ToList();

        var verneed = tables.VersionNeeds;
        var verneedCount = tables.VersionNeedCount;
        if (verneed is null && Value(DtVerneed) is { } address)
        {
            var offset = ToFileOffset(address, segments) ?? throw new ElfFormatException($"DT_VERNEED address 0x{address:x} is in no loaded segment");
            verneed = new Region(offset, (ulong)_file.Length - offset);
            verneedCount = (uint)Math.Min(Value(DtVerneednum) ?? 0, MaxTableEntries);
        }
        var needs = verneed is null || strings is null ? [] : ReadVersionNeeds(verneed, verneedCount, strings);
        return new ElfInfo(_is64, _little, type, machine, needed, soname, rpath, runpath, needs);
    }

    private static IEnumerable<string> SplitPath(string value) => value.Split(':', StringSplitOptions.RemoveEmptyEntries);

    private static ulong? ToFileOffset(ulong address, List<Segment> segments) =>
        segments.Where(s => s.Type == PtLoad && address >= s.VAddr && address - s.VAddr < s.FileSize)
            .Select(s => (ulong?)(s.Offset + (address - s.VAddr))).FirstOrDefault();

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
            var entry = _file.ReadAt(table.Offset + at, 16) ?? throw new ElfFormatException("truncated: .gnu.version_r entry past the end of the file");
            if (at + 16 > table.Size) throw new ElfFormatException("truncated: .gnu.version_r entry past the end of its section");
            var auxCount = U16(entry.AsSpan(2));
            var file = StringAt(strings, U32(entry.AsSpan(4)));
            var versions = new List<string>(auxCount);
            var auxAt = at + U32(entry.AsSpan(8));
            for (var j = 0; j < auxCount; j++)
            {
                if (auxAt + 16 > table.Size) throw new ElfFormatException("truncated: .gnu.version_r version past the end of its section");
                var aux = _file.ReadAt(table.Offset + auxAt, 16) ?? throw new ElfFormatException("truncated: .gnu.version_r version past the end of the file");
                versions.Add(StringAt(strings, U32(aux.AsSpan(8))));
                var nextAux = U32(aux.AsSpan(12));
                if (nextAux == 0) break;
                auxAt += nextAux;
            }
            result.Add(new ElfVersionNeed(file, versions));
            var next = U32(entry.AsSpan(12));
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
            var bytes = _file.ReadAt(table.Offset + index, chunk) ?? throw new ElfFormatException("truncated: string table past the end of the file");
            var end = Array.IndexOf(bytes, (byte)0);
            if (end >= 0) return Encoding.UTF8.GetString(bytes, 0, end);
            if (chunk == available) throw new ElfFormatException($"unterminated string at offset {index} of the string table");
        }
    }

    private ushort U16(ReadOnlySpan<byte> b) => _little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
    private uint U32(ReadOnlySpan<byte> b) => _little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
    private ulong U64(ReadOnlySpan<byte> b) => _little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
}

internal static class ByteSourceExtensions
{
    public static bool Contains(this IByteSource file, ulong offset, ulong size) => ElfInfoParser.InRange(file.Length, offset, size);
}

/// <summary>A file that claims to be ELF but whose tables point outside it or loop: reported, never thrown out.</summary>
internal sealed class ElfFormatException(string message) : Exception(message);
