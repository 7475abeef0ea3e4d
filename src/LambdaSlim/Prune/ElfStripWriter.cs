using System.Buffers.Binary;
using LambdaSlim.Elf;
using Microsoft.Win32.SafeHandles;

namespace LambdaSlim.Prune;

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
        CopyRange(input, ElfConstants.Header64Size, plan.MappedEnd - ElfConstants.Header64Size, output, buffer);

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
