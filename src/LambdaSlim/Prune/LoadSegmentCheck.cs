using LambdaSlim.Elf;

namespace LambdaSlim.Prune;

/// <summary>
/// The check glibc makes when it maps a library ((p_vaddr - p_offset) % p_align == 0 for every PT_LOAD), plus
/// "segments are the same as before", for any ELF class and byte order: it guards whatever tool did the stripping.
/// </summary>
internal static class LoadSegmentCheck
{
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
            if (a.Type == ElfConstants.PtLoad && a.Align > 1 && (a.VirtualAddress - a.Offset) % a.Align != 0)
                return $"load segment {i} address/offset not aligned to 0x{a.Align:x}";
        }
        return null;
    }

    /// <summary>The program headers, or null when the file has none that can be read.</summary>
    private static List<ElfProgramHeader>? Read(string path)
    {
        using var handle = File.OpenHandle(path);
        var file = new FileBytes(handle, RandomAccess.GetLength(handle));
        var bytes = file.ReadAt(0, (ulong)Math.Min(file.Length, ElfConstants.Header64Size));
        if (bytes is null || ElfHeader.Parse(bytes).Value is not { } header) return null;
        var (phoff, phentsize, phnum) = (header.ProgramHeaderOffset, header.ProgramHeaderEntrySize, header.ProgramHeaderCount);
        if (phnum == 0) return [];
        if (phentsize < header.ClassProgramHeaderSize || phentsize * phnum > 1 << 24) return null;
        var table = file.ReadAt(phoff, (ulong)phentsize * phnum);
        return table is null ? null : ElfProgramHeader.ParseTable(header, table, phentsize, phnum);
    }
}
