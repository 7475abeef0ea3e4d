using System.Text;
using LambdaSlim.Elf;

namespace LambdaSlim.Prune;

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
    public long OutputLength => SectionHeaderOffset + (long)Kept.Count * ElfConstants.SectionHeader64Size;

    /// <summary>The plan, or why this layout is not stripped here. Never throws for what is in the file.</summary>
    public static StripStep<ElfStripPlan> Create(ElfImage image)
    {
        var sections = image.Sections;
        var removed = FindRemovable(image);
        if (removed.Count == 0) return StripStep<ElfStripPlan>.Reject(StripOutcome.AlreadyStripped, "no debug sections or static symbol table");

        var newIndex = new int[sections.Count];
        var next = 0;
        foreach (var s in sections) newIndex[s.Index] = removed.Contains(s.Index) ? -1 : next++;

        var mappedEnd = Math.Max(ElfConstants.Header64Size, image.ProgramHeaderTableEnd);
        foreach (var p in image.ProgramHeaders) mappedEnd = Math.Max(mappedEnd, p.End);
        foreach (var s in sections.Where(s => s.IsAlloc)) mappedEnd = Math.Max(mappedEnd, s.End);

        if ((CheckRemovedOutsideSegments(image, removed, mappedEnd) ?? CheckReferences(image, removed, newIndex)) is { } problem)
            return StripStep<ElfStripPlan>.Unsupported(problem);

        var rebuildNames = CanRebuildNameTable(image, mappedEnd);
        var (nameTable, newNames) = rebuildNames ? BuildNameTable(sections, removed) : ([], []);
        uint NameOf(ElfSection s) => rebuildNames ? newNames[s.Index] : new ElfSpanReader(s.RawHeader, littleEndian: true).U32(0);

        var placed = new List<PlacedSection>();
        var toAppend = new List<ElfSection>();
        foreach (var s in sections.Where(s => !removed.Contains(s.Index)))
        {
            var inPrefix = s.Index == 0 || s.IsAlloc || s.Offset < mappedEnd;
            if (!inPrefix) { toAppend.Add(s); continue; }
            if (s.End > mappedEnd && !s.IsAlloc) return StripStep<ElfStripPlan>.Unsupported($"{s.Name} straddles the end of the mapped bytes (0x{mappedEnd:x})");
            placed.Add(new PlacedSection(s, newIndex[s.Index], Appended: false, s.Offset, NameOf(s), null));
        }

        // Appended in original file order so the result is a function of the input alone.
        var cursor = mappedEnd;
        var previousEnd = mappedEnd;
        foreach (var s in toAppend.OrderBy(s => s.Offset).ThenBy(s => s.Index))
        {
            if (s.HasFileBytes && s.Offset < previousEnd) return StripStep<ElfStripPlan>.Unsupported($"{s.Name} overlaps another kept section");
            if (s.AddrAlign > 1 << 16) return StripStep<ElfStripPlan>.Unsupported($"{s.Name} alignment 0x{s.AddrAlign:x}");
            var offset = AlignUp(cursor, Math.Max(1L, (long)s.AddrAlign));
            var contents = rebuildNames && s.Index == image.SectionNameTableIndex ? nameTable : null;
            placed.Add(new PlacedSection(s, newIndex[s.Index], Appended: true, offset, NameOf(s), contents));
            cursor = offset + (s.Type == ElfConstants.ShtNobits ? 0 : contents?.Length ?? s.Size);
            if (s.HasFileBytes) previousEnd = s.End;
        }

        return StripStep<ElfStripPlan>.Ok(new ElfStripPlan
        {
            Image = image,
            MappedEnd = mappedEnd,
            Kept = placed.OrderBy(p => p.NewIndex).ToList(),
            NewIndex = newIndex,
            SectionHeaderOffset = AlignUp(cursor, 8),
        });
    }

    /// <summary>Debug info and the static symbol table (with its string table and index extension): nothing the loader reads.</summary>
    private static HashSet<int> FindRemovable(ElfImage image)
    {
        var sections = image.Sections;
        var removed = sections
            .Where(s => !s.IsAlloc && s.Index != 0 && s.Index != image.SectionNameTableIndex
                && (s.Name.StartsWith(".debug_", StringComparison.Ordinal) || s.Name.StartsWith(".zdebug_", StringComparison.Ordinal) || s.Type == ElfConstants.ShtSymtab))
            .Select(s => s.Index).ToHashSet();
        foreach (var s in sections.Where(s => s.Type == ElfConstants.ShtSymtabShndx && !s.IsAlloc && removed.Contains((int)s.Link)))
            removed.Add(s.Index);

        // A symtab's string table goes with it unless something that stays still uses it (some linkers share it with .shstrtab).
        foreach (var symtab in sections.Where(s => s.Type == ElfConstants.ShtSymtab && removed.Contains(s.Index)))
        {
            if (symtab.Link == 0 || symtab.Link >= sections.Count) continue;
            var strtab = sections[(int)symtab.Link];
            if (strtab.IsAlloc || strtab.Type != ElfConstants.ShtStrtab || strtab.Index == image.SectionNameTableIndex) continue;
            var stillUsed = sections.Any(o => !removed.Contains(o.Index) && o.Index != strtab.Index
                && (o.Link == strtab.Index || o.InfoIsSectionIndex && o.Info == strtab.Index));
            if (!stillUsed) removed.Add(strtab.Index);
        }
        return removed;
    }

    /// <summary>Null when no removed section holds bytes the loader may map; otherwise the reason.</summary>
    private static string? CheckRemovedOutsideSegments(ElfImage image, HashSet<int> removed, long mappedEnd)
    {
        foreach (var s in image.Sections.Where(s => removed.Contains(s.Index) && s.HasFileBytes))
        {
            if (s.Offset < mappedEnd) return $"{s.Name} lies below the end of the mapped bytes (0x{mappedEnd:x})";
            if (image.ProgramHeaders.Any(p => p.FileSize > 0 && s.Offset < p.End && p.Offset < s.End))
                return $"{s.Name} overlaps a segment";
        }
        return null;
    }

    /// <summary>Index references that survive must still point at kept sections, and the ones in mapped bytes must not move.</summary>
    private static string? CheckReferences(ElfImage image, HashSet<int> removed, int[] newIndex)
    {
        var sections = image.Sections;
        foreach (var s in sections.Where(s => !removed.Contains(s.Index)))
        {
            // A group's members are section indexes inside its contents; rewriting those is not worth the risk.
            if (s.Type == ElfConstants.ShtGroup) return $"section group {s.Name}";
            if (s.Link >= sections.Count || removed.Contains((int)s.Link)) return $"{s.Name} links to removed or missing section {s.Link}";
            if (s.InfoIsSectionIndex && (s.Info >= sections.Count || removed.Contains((int)s.Info)))
                return $"{s.Name} refers to removed or missing section {s.Info}";
            if (s.IsAlloc && newIndex[s.Index] != s.Index) return $"allocated section {s.Name} would change index";
        }
        foreach (var index in image.DynamicSymbolSections)
        {
            if (index >= sections.Count || newIndex[index] != index) return $"a dynamic symbol refers to section {index}, whose index would change";
        }
        return null;
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
}
