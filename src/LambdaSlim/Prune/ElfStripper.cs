using System.Buffers.Binary;
using System.Text;
using LambdaSlim.IO;
using Microsoft.Win32.SafeHandles;

namespace LambdaSlim.Prune;

public enum StripOutcome { Stripped, AlreadyStripped, NotElf, Unsupported }

public sealed record StripResult(StripOutcome Outcome, long BytesBefore, long BytesAfter, string Tool, string? Reason);

/// <summary>
/// Removes debug sections and the static symbol table from ELF shared objects (Python extension modules,
/// vendored <c>*.so.N</c> libraries), like <c>strip --strip-unneeded</c> but without moving a single byte that a
/// program header maps: stripping that moves segments is what produces "ELF load command address/offset not
/// properly aligned" at import time. When the file's layout cannot be proved safe, binutils strip is the fallback,
/// and its output is only kept when every loadable segment is still aligned the way the loader demands.
/// </summary>
public static class ElfStripper
{
    public const string PureTool = "lambdaslim (pure .NET)";
    public const string BinutilsTool = "binutils strip";

    /// <summary>
    /// Writes a stripped copy of <paramref name="input"/> to <paramref name="output"/> only when the outcome is
    /// <see cref="StripOutcome.Stripped"/>; otherwise <paramref name="output"/> is not created.
    /// Tool is "" for files that are not ELF, otherwise the tool that decided the outcome.
    /// </summary>
    public static StripResult Strip(string input, string output)
    {
        var before = new FileInfo(input).Length;
        try
        {
            var after = StripInPureDotNet(input, output, before);
            return new StripResult(StripOutcome.Stripped, before, after, PureTool, null);
        }
        catch (ElfRejectedException e) when (e.Outcome == StripOutcome.Unsupported)
        {
            return BinutilsStrip.TryStrip(input, output, before, e.Reason)
                ?? new StripResult(StripOutcome.Unsupported, before, before, PureTool, e.Reason);
        }
        catch (ElfRejectedException e)
        {
            return new StripResult(e.Outcome, before, before, e.Outcome == StripOutcome.NotElf ? "" : PureTool, e.Reason);
        }
    }

    private static long StripInPureDotNet(string input, string output, long length)
    {
        var temp = AtomicFile.TempSibling(output);
        try
        {
            ElfStripPlan plan;
            using (var handle = File.OpenHandle(input))
            {
                plan = ElfStripPlan.Create(ElfImage.Read(handle, length));
                if (plan.OutputLength >= length)
                    throw new ElfRejectedException(StripOutcome.AlreadyStripped, "removable sections are empty; stripping would not shrink the file");
                ElfStripWriter.Write(handle, plan, temp);
            }
            CopyFileMode(input, temp);
            if (LoadSegmentCheck.Compare(input, temp) is { } problem)
                throw new ElfRejectedException(StripOutcome.Unsupported, $"self-check of the stripped copy failed: {problem}");
            File.Move(temp, output, overwrite: true);
            return plan.OutputLength;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Executables and libraries in bin/ must stay executable; a fresh file would get the umask's mode instead.</summary>
    internal static void CopyFileMode(string from, string to)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(to, File.GetUnixFileMode(from));
    }
}

/// <summary>Why the pure path stops: not an ELF file, nothing to strip, or a layout it will not touch.</summary>
internal sealed class ElfRejectedException(StripOutcome outcome, string reason) : Exception(reason)
{
    public StripOutcome Outcome { get; } = outcome;
    public string Reason { get; } = reason;
}

internal static class Elf
{
    public const ushort TypeExec = 2, TypeDyn = 3;
    public const ushort MachineX86_64 = 62, MachineAarch64 = 183;
    public const uint PtLoad = 1;
    public const uint ShtSymtab = 2, ShtStrtab = 3, ShtRela = 4, ShtNobits = 8, ShtRel = 9, ShtDynsym = 11, ShtGroup = 17, ShtSymtabShndx = 18;
    public const ulong ShfAlloc = 0x2, ShfInfoLink = 0x40;
    public const int HeaderSize = 64, ProgramHeaderSize = 56, SectionHeaderSize = 64, SymbolSize = 24;
    public const ushort ShnLoReserve = 0xff00, ShnXIndex = 0xffff, PnXNum = 0xffff;

    public static bool HasMagic(ReadOnlySpan<byte> ident) =>
        ident.Length >= 4 && ident[0] == 0x7f && ident[1] == (byte)'E' && ident[2] == (byte)'L' && ident[3] == (byte)'F';
}

internal sealed record ProgramHeaderRange(uint Type, long Offset, long FileSize)
{
    public long End => Offset + FileSize;
}

/// <summary>One section header as read, with its raw 64 bytes so the rewritten table changes only what it must.</summary>
internal sealed record ElfSection(int Index, string Name, uint Type, ulong Flags, long Offset, long Size, uint Link, uint Info, ulong AddrAlign, byte[] RawHeader)
{
    public bool IsAlloc => (Flags & Elf.ShfAlloc) != 0;
    public bool HasFileBytes => Type != Elf.ShtNobits && Size > 0;
    public long End => Offset + (Type == Elf.ShtNobits ? 0 : Size);

    /// <summary>sh_info is a section index for relocation sections and whenever SHF_INFO_LINK says so; otherwise a count.</summary>
    public bool InfoIsSectionIndex => (Flags & Elf.ShfInfoLink) != 0 || (Type is Elf.ShtRel or Elf.ShtRela && Info != 0);
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

    public static ElfImage Read(SafeFileHandle file, long length)
    {
        var header = new byte[Elf.HeaderSize];
        var headerRead = RandomAccess.Read(file, header, 0);
        if (headerRead < 4 || !Elf.HasMagic(header)) throw Reject(StripOutcome.NotElf, "no ELF magic");
        if (headerRead < Elf.HeaderSize) throw Reject(StripOutcome.NotElf, $"only {length} bytes, shorter than an ELF header");
        if (header[4] != 2) throw Unsupported($"ELF class {header[4]} (only ELFCLASS64 is handled)");
        if (header[5] != 1) throw Unsupported("big-endian ELF (only little-endian is handled)");
        if (header[6] != 1) throw Unsupported($"ELF version {header[6]}");

        var h = (ReadOnlySpan<byte>)header;
        var type = BinaryPrimitives.ReadUInt16LittleEndian(h[16..]);
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(h[18..]);
        var phoff = BinaryPrimitives.ReadUInt64LittleEndian(h[32..]);
        var shoff = BinaryPrimitives.ReadUInt64LittleEndian(h[40..]);
        var ehsize = BinaryPrimitives.ReadUInt16LittleEndian(h[52..]);
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(h[54..]);
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(h[56..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(h[58..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(h[60..]);
        var shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(h[62..]);

        if (type is not (Elf.TypeDyn or Elf.TypeExec)) throw Unsupported($"ELF type {type} (only shared objects and executables are handled)");
        if (machine is not (Elf.MachineX86_64 or Elf.MachineAarch64)) throw Unsupported($"machine {machine} (only x86_64 and aarch64 are handled)");
        if (ehsize != Elf.HeaderSize) throw Unsupported($"ELF header size {ehsize}");
        if (phnum == Elf.PnXNum) throw Unsupported("extended program header numbering");
        if (phnum > 0 && phentsize != Elf.ProgramHeaderSize) throw Unsupported($"program header entry size {phentsize}");
        if (shoff == 0) throw Reject(StripOutcome.AlreadyStripped, "no section header table");
        if (shnum == 0 || shstrndx == Elf.ShnXIndex) throw Unsupported("extended section numbering");
        if (shentsize != Elf.SectionHeaderSize) throw Unsupported($"section header entry size {shentsize}");
        if (shstrndx == 0 || shstrndx >= shnum) throw Unsupported("no section name table");

        var phTable = ReadRange(file, length, phoff, (ulong)phnum * Elf.ProgramHeaderSize, "program header table");
        var programHeaders = new List<ProgramHeaderRange>(phnum);
        for (var i = 0; i < phnum; i++)
        {
            var p = phTable.AsSpan(i * Elf.ProgramHeaderSize, Elf.ProgramHeaderSize);
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(p[8..]);
            var fileSize = BinaryPrimitives.ReadUInt64LittleEndian(p[32..]);
            CheckRange(length, offset, fileSize, $"program header {i}");
            programHeaders.Add(new ProgramHeaderRange(BinaryPrimitives.ReadUInt32LittleEndian(p), (long)offset, (long)fileSize));
        }

        var shTable = ReadRange(file, length, shoff, (ulong)shnum * Elf.SectionHeaderSize, "section header table");
        var raw = new List<(uint Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong Align, byte[] Bytes)>(shnum);
        for (var i = 0; i < shnum; i++)
        {
            var bytes = shTable.AsSpan(i * Elf.SectionHeaderSize, Elf.SectionHeaderSize).ToArray();
            var s = (ReadOnlySpan<byte>)bytes;
            var sectionType = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
            var size = BinaryPrimitives.ReadUInt64LittleEndian(s[32..]);
            if (sectionType != Elf.ShtNobits) CheckRange(length, offset, size, $"section {i}");
            else if (offset > (ulong)length) offset = (ulong)length; // NOBITS offsets carry no bytes; keep arithmetic in range
            raw.Add((BinaryPrimitives.ReadUInt32LittleEndian(s), sectionType, BinaryPrimitives.ReadUInt64LittleEndian(s[8..]), offset, size,
                BinaryPrimitives.ReadUInt32LittleEndian(s[40..]), BinaryPrimitives.ReadUInt32LittleEndian(s[44..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[48..]), bytes));
        }

        var names = raw[shstrndx];
        if (names.Type != Elf.ShtStrtab) throw Unsupported("section name table is not a string table");
        var nameBytes = ReadRange(file, length, names.Offset, names.Size, "section name table");
        var sections = raw.Select((r, i) => new ElfSection(i, NameAt(nameBytes, r.Name, i), r.Type, r.Flags, (long)r.Offset,
            r.Type == Elf.ShtNobits ? (long)Math.Min(r.Size, long.MaxValue) : (long)r.Size, r.Link, r.Info, r.Align, r.Bytes)).ToList();

        return new ElfImage
        {
            Header = header,
            ProgramHeaders = programHeaders,
            ProgramHeaderTableEnd = (long)phoff + (long)phnum * Elf.ProgramHeaderSize,
            Sections = sections,
            SectionNameTableIndex = shstrndx,
            DynamicSymbolSections = ReadDynamicSymbolSections(file, length, sections),
        };
    }

    private static HashSet<int> ReadDynamicSymbolSections(SafeFileHandle file, long length, List<ElfSection> sections)
    {
        var used = new HashSet<int>();
        foreach (var dynsym in sections.Where(s => s.Type == Elf.ShtDynsym))
        {
            var symbols = ReadRange(file, length, (ulong)dynsym.Offset, (ulong)dynsym.Size, dynsym.Name);
            if (symbols.Length % Elf.SymbolSize != 0) throw Unsupported($"{dynsym.Name} size is not a multiple of {Elf.SymbolSize}");
            for (var at = 0; at < symbols.Length; at += Elf.SymbolSize)
            {
                var shndx = BinaryPrimitives.ReadUInt16LittleEndian(symbols.AsSpan(at + 6));
                if (shndx == Elf.ShnXIndex) throw Unsupported($"{dynsym.Name} uses extended section indexes");
                if (shndx is > 0 and < Elf.ShnLoReserve) used.Add(shndx);
            }
        }
        return used;
    }

    private static string NameAt(byte[] table, uint offset, int index)
    {
        if (offset >= table.Length) throw Unsupported($"section {index} name is outside the section name table");
        var rest = table.AsSpan((int)offset);
        var end = rest.IndexOf((byte)0);
        if (end < 0) throw Unsupported($"section {index} name is not terminated");
        return Encoding.Latin1.GetString(rest[..end]); // Latin-1 round-trips any byte, so rebuilt names are exact
    }

    private static void CheckRange(long length, ulong offset, ulong size, string what)
    {
        if (offset > (ulong)length || size > (ulong)length - offset) throw Unsupported($"{what} lies beyond the end of the file");
    }

    private static byte[] ReadRange(SafeFileHandle file, long length, ulong offset, ulong size, string what)
    {
        CheckRange(length, offset, size, what);
        var bytes = new byte[size];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(file, bytes.AsSpan(read), (long)offset + read);
            if (n == 0) throw Unsupported($"{what} is truncated");
            read += n;
        }
        return bytes;
    }

    private static ElfRejectedException Reject(StripOutcome outcome, string reason) => new(outcome, reason);
    private static ElfRejectedException Unsupported(string reason) => new(StripOutcome.Unsupported, reason);
}

/// <summary>
/// Where a kept section goes in the stripped file. Sections that are not <see cref="Appended"/> stay where they were,
/// inside the verbatim prefix; <see cref="Contents"/> replaces the original bytes when set.
/// </summary>
internal sealed record PlacedSection(ElfSection Section, int NewIndex, bool Appended, long NewOffset, uint NewName, byte[]? Contents);

/// <summary>
/// Decides, without writing anything, what the stripped file looks like: bytes [0, <see cref="MappedEnd"/>) unchanged,
/// then the kept non-alloc sections, then a new section header table. Refuses any layout it cannot prove safe.
/// </summary>
internal sealed class ElfStripPlan
{
    public required ElfImage Image { get; init; }

    /// <summary>End of everything the loader may look at: headers, segments and allocated sections. Copied verbatim.</summary>
    public required long MappedEnd { get; init; }

    /// <summary>Kept sections in their new index order.</summary>
    public required IReadOnlyList<PlacedSection> Kept { get; init; }

    /// <summary>Old section index to new, -1 for removed sections.</summary>
    public required IReadOnlyList<int> NewIndex { get; init; }
    public required long SectionHeaderOffset { get; init; }
    public long OutputLength => SectionHeaderOffset + (long)Kept.Count * Elf.SectionHeaderSize;

    public static ElfStripPlan Create(ElfImage image)
    {
        var sections = image.Sections;
        var removed = FindRemovable(image);
        if (removed.Count == 0) throw new ElfRejectedException(StripOutcome.AlreadyStripped, "no debug sections or static symbol table");

        var newIndex = new int[sections.Count];
        var next = 0;
        foreach (var s in sections) newIndex[s.Index] = removed.Contains(s.Index) ? -1 : next++;

        var mappedEnd = Math.Max(Elf.HeaderSize, image.ProgramHeaderTableEnd);
        foreach (var p in image.ProgramHeaders) mappedEnd = Math.Max(mappedEnd, p.End);
        foreach (var s in sections.Where(s => s.IsAlloc)) mappedEnd = Math.Max(mappedEnd, s.End);

        CheckRemovedOutsideSegments(image, removed, mappedEnd);
        CheckReferences(image, removed, newIndex);

        var rebuildNames = CanRebuildNameTable(image, mappedEnd);
        var (nameTable, newNames) = rebuildNames ? BuildNameTable(sections, removed) : ([], []);
        uint NameOf(ElfSection s) => rebuildNames ? newNames[s.Index] : BinaryPrimitives.ReadUInt32LittleEndian(s.RawHeader);

        var placed = new List<PlacedSection>();
        var toAppend = new List<ElfSection>();
        foreach (var s in sections.Where(s => !removed.Contains(s.Index)))
        {
            var inPrefix = s.Index == 0 || s.IsAlloc || s.Offset < mappedEnd;
            if (!inPrefix) { toAppend.Add(s); continue; }
            if (s.End > mappedEnd && !s.IsAlloc) throw Unsupported($"{s.Name} straddles the end of the mapped bytes (0x{mappedEnd:x})");
            placed.Add(new PlacedSection(s, newIndex[s.Index], Appended: false, s.Offset, NameOf(s), null));
        }

        // Appended in original file order so the result is a function of the input alone.
        var cursor = mappedEnd;
        var previousEnd = mappedEnd;
        foreach (var s in toAppend.OrderBy(s => s.Offset).ThenBy(s => s.Index))
        {
            if (s.HasFileBytes && s.Offset < previousEnd) throw Unsupported($"{s.Name} overlaps another kept section");
            if (s.AddrAlign > 1 << 16) throw Unsupported($"{s.Name} alignment 0x{s.AddrAlign:x}");
            var offset = AlignUp(cursor, Math.Max(1L, (long)s.AddrAlign));
            var contents = rebuildNames && s.Index == image.SectionNameTableIndex ? nameTable : null;
            placed.Add(new PlacedSection(s, newIndex[s.Index], Appended: true, offset, NameOf(s), contents));
            cursor = offset + (s.Type == Elf.ShtNobits ? 0 : contents?.Length ?? s.Size);
            if (s.HasFileBytes) previousEnd = s.End;
        }

        return new ElfStripPlan
        {
            Image = image,
            MappedEnd = mappedEnd,
            Kept = placed.OrderBy(p => p.NewIndex).ToList(),
            NewIndex = newIndex,
            SectionHeaderOffset = AlignUp(cursor, 8),
        };
    }

    /// <summary>Debug info and the static symbol table (with its string table and index extension): nothing the loader reads.</summary>
    private static HashSet<int> FindRemovable(ElfImage image)
    {
        var sections = image.Sections;
        var removed = sections
            .Where(s => !s.IsAlloc && s.Index != 0 && s.Index != image.SectionNameTableIndex
                && (s.Name.StartsWith(".debug_", StringComparison.Ordinal) || s.Name.StartsWith(".zdebug_", StringComparison.Ordinal) || s.Type == Elf.ShtSymtab))
            .Select(s => s.Index).ToHashSet();
        foreach (var s in sections.Where(s => s.Type == Elf.ShtSymtabShndx && !s.IsAlloc && removed.Contains((int)s.Link)))
            removed.Add(s.Index);

        // A symtab's string table goes with it unless something that stays still uses it (some linkers share it with .shstrtab).
        foreach (var symtab in sections.Where(s => s.Type == Elf.ShtSymtab && removed.Contains(s.Index)))
        {
            if (symtab.Link == 0 || symtab.Link >= sections.Count) continue;
            var strtab = sections[(int)symtab.Link];
            if (strtab.IsAlloc || strtab.Type != Elf.ShtStrtab || strtab.Index == image.SectionNameTableIndex) continue;
            var stillUsed = sections.Any(o => !removed.Contains(o.Index) && o.Index != strtab.Index
                && (o.Link == strtab.Index || o.InfoIsSectionIndex && o.Info == strtab.Index));
            if (!stillUsed) removed.Add(strtab.Index);
        }
        return removed;
    }

    private static void CheckRemovedOutsideSegments(ElfImage image, HashSet<int> removed, long mappedEnd)
    {
        foreach (var s in image.Sections.Where(s => removed.Contains(s.Index) && s.HasFileBytes))
        {
            if (s.Offset < mappedEnd) throw Unsupported($"{s.Name} lies below the end of the mapped bytes (0x{mappedEnd:x})");
            if (image.ProgramHeaders.Any(p => p.FileSize > 0 && s.Offset < p.End && p.Offset < s.End))
                throw Unsupported($"{s.Name} overlaps a segment");
        }
    }

    /// <summary>Index references that survive must still point at kept sections, and the ones in mapped bytes must not move.</summary>
    private static void CheckReferences(ElfImage image, HashSet<int> removed, int[] newIndex)
    {
        var sections = image.Sections;
        foreach (var s in sections.Where(s => !removed.Contains(s.Index)))
        {
            // A group's members are section indexes inside its contents; rewriting those is not worth the risk.
            if (s.Type == Elf.ShtGroup) throw Unsupported($"section group {s.Name}");
            if (s.Link >= sections.Count || removed.Contains((int)s.Link)) throw Unsupported($"{s.Name} links to removed or missing section {s.Link}");
            if (s.InfoIsSectionIndex && (s.Info >= sections.Count || removed.Contains((int)s.Info)))
                throw Unsupported($"{s.Name} refers to removed or missing section {s.Info}");
            if (s.IsAlloc && newIndex[s.Index] != s.Index) throw Unsupported($"allocated section {s.Name} would change index");
        }
        foreach (var index in image.DynamicSymbolSections)
        {
            if (index >= sections.Count || newIndex[index] != index) throw Unsupported($"a dynamic symbol refers to section {index}, whose index would change");
        }
    }

    /// <summary>Rebuilding .shstrtab drops the names of removed sections; only done when nothing else uses the table.</summary>
    private static bool CanRebuildNameTable(ElfImage image, long mappedEnd)
    {
        var names = image.Sections[image.SectionNameTableIndex];
        return !names.IsAlloc && names.Offset >= mappedEnd
            && !image.Sections.Any(s => s.Index != names.Index && (s.Link == names.Index || s.InfoIsSectionIndex && s.Info == names.Index));
    }

    private static (byte[] Table, Dictionary<int, uint> Offsets) BuildNameTable(IReadOnlyList<ElfSection> sections, HashSet<int> removed)
    {
        var table = new MemoryStream();
        table.WriteByte(0);
        var byName = new Dictionary<string, uint>(StringComparer.Ordinal) { [""] = 0 };
        var offsets = new Dictionary<int, uint>();
        foreach (var s in sections.Where(s => !removed.Contains(s.Index)))
        {
            if (!byName.TryGetValue(s.Name, out var at))
            {
                at = (uint)table.Length;
                table.Write(Encoding.Latin1.GetBytes(s.Name));
                table.WriteByte(0);
                byName[s.Name] = at;
            }
            offsets[s.Index] = at;
        }
        return (table.ToArray(), offsets);
    }

    private static long AlignUp(long value, long align) => (value + align - 1) / align * align;

    private static ElfRejectedException Unsupported(string reason) => new(StripOutcome.Unsupported, reason);
}

/// <summary>Writes an <see cref="ElfStripPlan"/> by streaming ranges of the original, so large libraries never sit in memory.</summary>
internal static class ElfStripWriter
{
    public static void Write(SafeFileHandle input, ElfStripPlan plan, string path)
    {
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        var buffer = new byte[1 << 20];

        // The ELF header is the one place inside the mapped bytes that changes: the loader ignores these three fields.
        var header = (byte[])plan.Image.Header.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), (ulong)plan.SectionHeaderOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(60), (ushort)plan.Kept.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(62), (ushort)plan.NewIndex[plan.Image.SectionNameTableIndex]);
        output.Write(header);
        CopyRange(input, Elf.HeaderSize, plan.MappedEnd - Elf.HeaderSize, output, buffer);

        foreach (var p in plan.Kept.Where(p => p.Appended).OrderBy(p => p.NewOffset).ThenBy(p => p.NewIndex))
        {
            Pad(output, p.NewOffset);
            if (p.Contents is not null) output.Write(p.Contents);
            else if (p.Section.HasFileBytes) CopyRange(input, p.Section.Offset, p.Section.Size, output, buffer);
        }

        Pad(output, plan.SectionHeaderOffset);
        foreach (var p in plan.Kept) output.Write(RewriteHeader(p, plan.NewIndex));
        output.Flush(flushToDisk: true);
    }

    /// <summary>The original header with only name, offset, size and index references updated.</summary>
    private static byte[] RewriteHeader(PlacedSection p, IReadOnlyList<int> newIndex)
    {
        var s = p.Section;
        var header = (byte[])s.RawHeader.Clone();
        if (s.Index == 0) return header;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0), p.NewName);
        if (p.Appended) BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), (ulong)p.NewOffset);
        if (p.Contents is not null) BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), (ulong)p.Contents.Length);
        if (s.Link != 0) BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), (uint)newIndex[(int)s.Link]);
        if (s.InfoIsSectionIndex && s.Info != 0) BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(44), (uint)newIndex[(int)s.Info]);
        return header;
    }

    private static void Pad(FileStream output, long offset)
    {
        if (output.Position > offset) throw new InvalidOperationException($"layout overlap at 0x{offset:x}");
        Span<byte> zeros = stackalloc byte[256];
        zeros.Clear();
        while (output.Position < offset) output.Write(zeros[..(int)Math.Min(zeros.Length, offset - output.Position)]);
    }

    private static void CopyRange(SafeFileHandle input, long offset, long count, Stream output, byte[] buffer)
    {
        while (count > 0)
        {
            var n = RandomAccess.Read(input, buffer.AsSpan(0, (int)Math.Min(buffer.Length, count)), offset);
            if (n == 0) throw new EndOfStreamException($"input ended at 0x{offset:x}");
            output.Write(buffer, 0, n);
            offset += n;
            count -= n;
        }
    }
}

/// <summary>
/// The check glibc makes when it maps a library ((p_vaddr - p_offset) % p_align == 0 for every PT_LOAD), plus
/// "segments are the same as before", for any ELF class and byte order: it guards whatever tool did the stripping.
/// </summary>
internal static class LoadSegmentCheck
{
    private sealed record Segment(uint Type, uint Flags, ulong Offset, ulong VAddr, ulong PAddr, ulong FileSize, ulong MemSize, ulong Align);

    /// <summary>Null when <paramref name="stripped"/> has the same segments as <paramref name="original"/>, all loadable; otherwise the problem.</summary>
    public static string? Compare(string original, string stripped)
    {
        var before = Read(original);
        var after = Read(stripped);
        if (before is null || after is null) return "cannot read the program headers";
        if (before.Count != after.Count) return $"{before.Count} program headers became {after.Count}";
        var length = (ulong)new FileInfo(stripped).Length;
        for (var i = 0; i < after.Count; i++)
        {
            var (b, a) = (before[i], after[i]);
            if (b with { Offset = 0 } != a with { Offset = 0 }) return $"program header {i} changed";
            if (a.Offset > length || a.FileSize > length - a.Offset) return $"segment {i} extends beyond the end of the file";
            if (a.Type == Elf.PtLoad && a.Align > 1 && (a.VAddr - a.Offset) % a.Align != 0)
                return $"load segment {i} address/offset not aligned to 0x{a.Align:x}";
        }
        return null;
    }

    private static List<Segment>? Read(string path)
    {
        using var file = File.OpenHandle(path);
        var length = RandomAccess.GetLength(file);
        var ident = new byte[Elf.HeaderSize];
        var n = RandomAccess.Read(file, ident, 0);
        if (n < 52 || !Elf.HasMagic(ident) || ident[4] is not (1 or 2) || ident[5] is not (1 or 2)) return null;
        var is64 = ident[4] == 2;
        var little = ident[5] == 1;
        var h = ident.AsSpan();
        var phoff = is64 ? U64(h[32..], little) : U32(h[28..], little);
        var phentsize = U16(h[(is64 ? 54 : 42)..], little);
        var phnum = U16(h[(is64 ? 56 : 44)..], little);
        if (phnum == 0) return [];
        if (phentsize < (is64 ? 56 : 32) || phentsize * phnum > 1 << 24 || phoff > (ulong)length || (ulong)phentsize * phnum > (ulong)length - phoff) return null;

        var table = new byte[phentsize * phnum];
        if (RandomAccess.Read(file, table, (long)phoff) != table.Length) return null;
        var segments = new List<Segment>(phnum);
        for (var i = 0; i < phnum; i++)
        {
            var p = table.AsSpan(i * phentsize, phentsize);
            segments.Add(is64
                ? new Segment(U32(p, little), U32(p[4..], little), U64(p[8..], little), U64(p[16..], little), U64(p[24..], little),
                    U64(p[32..], little), U64(p[40..], little), U64(p[48..], little))
                : new Segment(U32(p, little), U32(p[24..], little), U32(p[4..], little), U32(p[8..], little), U32(p[12..], little),
                    U32(p[16..], little), U32(p[20..], little), U32(p[28..], little)));
        }
        return segments;
    }

    private static ushort U16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
    private static uint U32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
    private static ulong U64(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
}

/// <summary>The fallback for layouts the pure path refuses: <c>strip --strip-unneeded</c>, kept only if the loader will still accept it.</summary>
internal static class BinutilsStrip
{
    /// <summary>Null when there is no strip on PATH.</summary>
    public static StripResult? TryStrip(string input, string output, long before, string whyNotPure)
    {
        var strip = ProcessRunner.FindOnPath("strip");
        if (strip is null) return null;
        var temp = AtomicFile.TempSibling(output);
        try
        {
            // Strip is a synchronous API; ProcessRunner awaits with ConfigureAwait(false), so blocking here cannot deadlock.
            var run = ProcessRunner.RunAsync(strip, ["--strip-unneeded", "-o", temp, input]).GetAwaiter().GetResult();
            if (run.ExitCode != 0 || !File.Exists(temp))
                return Unsupported(before, $"{whyNotPure}; binutils strip: {FirstLine(run.StdErr) ?? $"exited with {run.ExitCode}"}");
            if (LoadSegmentCheck.Compare(input, temp) is { } problem)
                return Unsupported(before, $"{whyNotPure}; binutils strip output rejected: {problem}");
            var after = new FileInfo(temp).Length;
            if (after >= before)
                return new StripResult(StripOutcome.AlreadyStripped, before, before, ElfStripper.BinutilsTool, $"pure .NET: {whyNotPure}");
            ElfStripper.CopyFileMode(input, temp);
            File.Move(temp, output, overwrite: true);
            return new StripResult(StripOutcome.Stripped, before, after, ElfStripper.BinutilsTool, $"pure .NET: {whyNotPure}");
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static StripResult Unsupported(long before, string reason) =>
        new(StripOutcome.Unsupported, before, before, ElfStripper.BinutilsTool, reason);

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
