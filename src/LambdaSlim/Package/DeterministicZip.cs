using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Crc32 = System.IO.Hashing.Crc32;

namespace LambdaSlim.Package;

/// <summary>One file in an artifact: where it goes in the zip, and where its bytes come from.</summary>
public sealed record ZipEntrySource(string ArchivePath, string SourcePath);

public sealed record ZipResult(long ZippedBytes, long UnzippedBytes, int FileCount, string Sha256);

/// <summary>
/// Writes zips that are byte-identical for the same inputs on every run and machine: entries sorted by
/// ordinal path, timestamps fixed at 1980-01-01, Unix modes set from the content (0755 for shared objects,
/// ELF executables and #! scripts, 0644 otherwise) rather than from the file system, which differs across OSes.
/// Entries are deflated in parallel on all cores and written in order.
/// </summary>
public static partial class DeterministicZip
{
    private const ushort DosDate1980 = (0 << 9) | (1 << 5) | 1; // 1980-01-01
    private const ushort DosTimeMidnight = 0;
    private const ushort VersionMadeByUnix = (3 << 8) | 20;
    private const ushort VersionNeeded = 20;
    private const ushort VersionNeededZip64 = 45;

    /// <summary>How many uncompressed bytes may be in flight at once; bounds memory on huge layers.</summary>
    private const long InFlightBudget = 256L * 1024 * 1024;

    [GeneratedRegex(@"\.so(\.\d+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SharedObject();

    public static async Task<ZipResult> WriteAsync(
        Stream output, IReadOnlyList<ZipEntrySource> entries, ZipCompression compression = ZipCompression.Optimal,
        Action<long>? onBytes = null, Deflater? deflater = null, CancellationToken cancellationToken = default)
    {
        var sorted = entries.OrderBy(e => e.ArchivePath, StringComparer.Ordinal).ToList();
        for (var i = 1; i < sorted.Count; i++)
            if (sorted[i].ArchivePath == sorted[i - 1].ArchivePath)
                throw new InvalidOperationException($"duplicate zip entry {sorted[i].ArchivePath}");

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writer = new HashingWriter(output, sha);
        var central = new List<CentralRecord>(sorted.Count);
        deflater ??= Deflater.Default;

        // Entries are written in sorted order, but compressed largest first within windows of the sorted list,
        // so one big shared object is not left compressing alone on one core at the end. The next window is
        // started before the current one is written, which bounds memory to about two windows.
        var windows = Windows(sorted, InFlightBudget / 2);
        long unzipped = 0;
        var started = Start(windows.FirstOrDefault() ?? [], deflater, compression, cancellationToken);
        for (var w = 0; w < windows.Count; w++)
        {
            var next = w + 1 < windows.Count ? Start(windows[w + 1], deflater, compression, cancellationToken) : [];
            foreach (var task in started)
            {
                var entry = await task.ConfigureAwait(false);
                central.Add(WriteLocal(writer, entry));
                unzipped += entry.UncompressedSize;
                onBytes?.Invoke(unzipped);
            }
            started = next;
        }

        WriteCentralDirectory(writer, central);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new ZipResult(writer.Position, unzipped, central.Count, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static List<List<(ZipEntrySource Source, long Size)>> Windows(List<ZipEntrySource> sorted, long budget)
    {
        var windows = new List<List<(ZipEntrySource, long)>>();
        List<(ZipEntrySource, long)>? current = null;
        long bytes = 0;
        foreach (var e in sorted)
        {
            var size = new FileInfo(e.SourcePath).Length;
            if (current is null || (bytes + size > budget && current.Count > 0)) { windows.Add(current = []); bytes = 0; }
            current.Add((e, size));
            bytes += size;
        }
        return windows;
    }

    /// <summary>Starts compressing a window's entries, biggest first; returns the tasks in the window's (sorted) order.</summary>
    private static List<Task<CompressedEntry>> Start(List<(ZipEntrySource Source, long Size)> window, Deflater deflater, ZipCompression compression, CancellationToken cancellationToken)
    {
        var tasks = new Task<CompressedEntry>[window.Count];
        foreach (var i in Enumerable.Range(0, window.Count).OrderByDescending(i => window[i].Size))
        {
            var source = window[i].Source;
            tasks[i] = Task.Run(() => Compress(source, deflater, compression), cancellationToken);
        }
        return [.. tasks];
    }

    public static int UnixMode(string archivePath, ReadOnlySpan<byte> content)
    {
        var executable = SharedObject().IsMatch(archivePath)
            || content.StartsWith("#!"u8)
            || Elf.ElfConstants.HasMagic(content);
        return executable ? 0b111_101_101 : 0b110_100_100; // 0755 : 0644
    }

    private sealed record CompressedEntry(string Name, byte[] Data, int DataLength, bool Deflated, uint Crc, long UncompressedSize, int Mode);

    private sealed record CentralRecord(CompressedEntry Entry, long Offset);

    /// <summary>
    /// Reads and deflates one file. Buffers come from the shared pool and go back once the entry is written:
    /// a layer is hundreds of MB of short-lived arrays, and pooling keeps the GC out of the hot path.
    /// </summary>
    private static CompressedEntry Compress(ZipEntrySource source, Deflater deflater, ZipCompression compression)
    {
        using var file = File.OpenHandle(source.SourcePath);
        var length = checked((int)RandomAccess.GetLength(file));
        var raw = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        var read = 0;
        while (read < length) read += RandomAccess.Read(file, raw.AsSpan(read, length - read), read);
        var content = raw.AsSpan(0, length);
        var crc = Crc32.HashToUInt32(content);
        var mode = UnixMode(source.ArchivePath, content);
        // Stored entries are smaller for data that does not compress (already-compressed files, tiny files).
        byte[] compressed = [];
        var deflated = length > 0 ? deflater.Compress(content, compression, out compressed) : -1;
        if (deflated < 0)
            return new CompressedEntry(source.ArchivePath, raw, length, false, crc, length, mode);
        ArrayPool<byte>.Shared.Return(raw);
        return new CompressedEntry(source.ArchivePath, compressed, deflated, true, crc, length, mode);
    }

    private static CentralRecord WriteLocal(HashingWriter w, CompressedEntry e)
    {
        if (e.UncompressedSize >= uint.MaxValue || w.Position >= uint.MaxValue)
            throw LambdaSlimException.Input($"artifact is larger than 4 GiB at {e.Name}", "Lambda's limit is 250 MB unzipped; move packages to other layers");
        var offset = w.Position;
        var name = Encoding.UTF8.GetBytes(e.Name);
        Span<byte> h = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], VersionNeeded);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], Flags(e.Name));
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], (ushort)(e.Deflated ? 8 : 0));
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], DosTimeMidnight);
        BinaryPrimitives.WriteUInt16LittleEndian(h[12..], DosDate1980);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], e.Crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], (uint)e.DataLength);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], (uint)e.UncompressedSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], 0);
        w.Write(h);
        w.Write(name);
        w.Write(e.Data.AsSpan(0, e.DataLength));
        ArrayPool<byte>.Shared.Return(e.Data);
        return new CentralRecord(e with { Data = [] }, offset);
    }

    private static void WriteCentralDirectory(HashingWriter w, List<CentralRecord> records)
    {
        var start = w.Position;
        Span<byte> h = stackalloc byte[46];
        foreach (var (e, offset) in records)
        {
            var name = Encoding.UTF8.GetBytes(e.Name);
            h.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(h, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(h[4..], VersionMadeByUnix);
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], VersionNeeded);
            BinaryPrimitives.WriteUInt16LittleEndian(h[8..], Flags(e.Name));
            BinaryPrimitives.WriteUInt16LittleEndian(h[10..], (ushort)(e.Deflated ? 8 : 0));
            BinaryPrimitives.WriteUInt16LittleEndian(h[12..], DosTimeMidnight);
            BinaryPrimitives.WriteUInt16LittleEndian(h[14..], DosDate1980);
            BinaryPrimitives.WriteUInt32LittleEndian(h[16..], e.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(h[20..], (uint)e.DataLength);
            BinaryPrimitives.WriteUInt32LittleEndian(h[24..], (uint)e.UncompressedSize);
            BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)name.Length);
            // extra length, comment length, disk number, internal attributes: 0
            BinaryPrimitives.WriteUInt32LittleEndian(h[38..], (uint)(0x8000 | e.Mode) << 16); // S_IFREG | mode
            BinaryPrimitives.WriteUInt32LittleEndian(h[42..], (uint)offset);
            w.Write(h);
            w.Write(name);
        }
        var size = w.Position - start;
        if (start >= uint.MaxValue || size >= uint.MaxValue)
            throw LambdaSlimException.Input("artifact is larger than 4 GiB", "Lambda's limit is 250 MB unzipped; move packages to other layers");

        var count = records.Count;
        if (count >= ushort.MaxValue)
        {
            // Zip64 end-of-central-directory record and locator: only the entry count needs 64 bits here.
            var zip64Start = w.Position;
            Span<byte> z = stackalloc byte[56];
            BinaryPrimitives.WriteUInt32LittleEndian(z, 0x06064b50);
            BinaryPrimitives.WriteUInt64LittleEndian(z[4..], 44);
            BinaryPrimitives.WriteUInt16LittleEndian(z[12..], VersionMadeByUnix);
            BinaryPrimitives.WriteUInt16LittleEndian(z[14..], VersionNeededZip64);
            BinaryPrimitives.WriteUInt64LittleEndian(z[24..], (ulong)count);
            BinaryPrimitives.WriteUInt64LittleEndian(z[32..], (ulong)count);
            BinaryPrimitives.WriteUInt64LittleEndian(z[40..], (ulong)size);
            BinaryPrimitives.WriteUInt64LittleEndian(z[48..], (ulong)start);
            w.Write(z);
            Span<byte> loc = stackalloc byte[20];
            BinaryPrimitives.WriteUInt32LittleEndian(loc, 0x07064b50);
            BinaryPrimitives.WriteUInt64LittleEndian(loc[8..], (ulong)zip64Start);
            BinaryPrimitives.WriteUInt32LittleEndian(loc[16..], 1);
            w.Write(loc);
        }
        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        var shortCount = (ushort)Math.Min(count, ushort.MaxValue);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], shortCount);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], shortCount);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)start);
        w.Write(end);
    }

    private static ushort Flags(string name) => (ushort)(name.All(char.IsAscii) ? 0 : 1 << 11); // bit 11: UTF-8 names

    /// <summary>Writes through to the output while hashing, so the sha256 costs no second read.</summary>
    private sealed class HashingWriter(Stream output, IncrementalHash sha)
    {
        public long Position { get; private set; }

        public void Write(ReadOnlySpan<byte> data)
        {
            output.Write(data);
            sha.AppendData(data);
            Position += data.Length;
        }
    }
}
