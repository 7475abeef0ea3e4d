using System.Buffers.Binary;

namespace LambdaSlim.Validate;

/// <summary>
/// The unzipped size of a zip from its central directory alone: the end record at the zip's tail says where the
/// directory is, and each directory entry carries its file's uncompressed size. So a remote layer is measured with
/// two small range reads instead of a download. Zip64 sizes and offsets are read too.
/// </summary>
public static class ZipCentralDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint EntrySignature = 0x02014b50;
    private const int EndLength = 22;
    private const int Zip64LocatorLength = 20;
    private const int Zip64EndLength = 56;

    /// <summary>Enough of a zip's tail to hold its end record (with the longest comment) and the zip64 records before it.</summary>
    public const int TailLength = EndLength + ushort.MaxValue + Zip64LocatorLength + Zip64EndLength;

    /// <summary>Reads <c>length</c> bytes at <c>offset</c> of the zip.</summary>
    public delegate Task<byte[]> RangeReader(long offset, int length, CancellationToken cancellationToken);

    /// <summary>
    /// Sums the uncompressed sizes of a zip of <paramref name="zipLength"/> bytes whose last bytes are
    /// <paramref name="tail"/>; reads more through <paramref name="read"/> only when the directory is not in the tail.
    /// Throws <see cref="InvalidDataException"/> when it is not a zip.
    /// </summary>
    public static async Task<long> UnzippedBytesAsync(long zipLength, byte[] tail, RangeReader read, long maxDirectoryBytes, CancellationToken cancellationToken)
    {
        var tailStart = zipLength - tail.Length;
        var end = FindEnd(tail) ?? throw new InvalidDataException("not a zip: no end of central directory record");
        long entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 10));
        long size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 12));
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 16));
        if (entries == ushort.MaxValue || size == uint.MaxValue || offset == uint.MaxValue)
        {
            var locator = end - Zip64LocatorLength;
            if (locator < 0 || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(locator)) != Zip64LocatorSignature)
                throw new InvalidDataException("not a zip: a zip64 end record is announced but missing");
            var zip64At = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(locator + 8));
            var record = zip64At >= tailStart && zip64At + Zip64EndLength <= zipLength
                ? tail.AsSpan((int)(zip64At - tailStart), Zip64EndLength).ToArray()
                : await read(zip64At, Zip64EndLength, cancellationToken).ConfigureAwait(false);
            if (record.Length < Zip64EndLength || BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
                throw new InvalidDataException("not a zip: bad zip64 end record");
            entries = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
            size = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40));
            offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48));
        }
        if (offset < 0 || size < 0 || offset + size > zipLength || size > maxDirectoryBytes)
            throw new InvalidDataException($"not a zip: its central directory ({size} bytes at {offset}) lies outside its {zipLength} bytes");
        var directory = offset >= tailStart
            ? tail.AsSpan((int)(offset - tailStart), (int)size).ToArray()
            : await read(offset, (int)size, cancellationToken).ConfigureAwait(false);
        return SumEntries(directory, entries);
    }

    /// <summary>Where the end record starts in <paramref name="tail"/>, searching back over a possible comment; null if none.</summary>
    internal static int? FindEnd(ReadOnlySpan<byte> tail)
    {
        for (var i = tail.Length - EndLength; i >= 0 && i >= tail.Length - EndLength - ushort.MaxValue; i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail[i..]) == EndSignature
                && i + EndLength + BinaryPrimitives.ReadUInt16LittleEndian(tail[(i + 20)..]) == tail.Length)
                return i;
        return null;
    }

    internal static long SumEntries(ReadOnlySpan<byte> directory, long expectedEntries)
    {
        long total = 0, count = 0;
        var at = 0;
        while (at + 46 <= directory.Length && BinaryPrimitives.ReadUInt32LittleEndian(directory[at..]) == EntrySignature)
        {
            long unzipped = BinaryPrimitives.ReadUInt32LittleEndian(directory[(at + 24)..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(directory[(at + 28)..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(directory[(at + 30)..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(directory[(at + 32)..]);
            if (at + 46 + nameLength + extraLength + commentLength > directory.Length)
                throw new InvalidDataException("not a zip: a central directory entry runs past the directory");
            // In the zip64 extra field the uncompressed size comes first, whatever else follows it.
            if (unzipped == uint.MaxValue)
                unzipped = Zip64UncompressedSize(directory.Slice(at + 46 + nameLength, extraLength))
                    ?? throw new InvalidDataException("not a zip: an entry's zip64 size is missing");
            total = checked(total + unzipped);
            count++;
            at += 46 + nameLength + extraLength + commentLength;
        }
        if (count != expectedEntries)
            throw new InvalidDataException($"not a zip: its central directory lists {count} of {expectedEntries} entries");
        return total;
    }

    private static long? Zip64UncompressedSize(ReadOnlySpan<byte> extra)
    {
        var at = 0;
        while (at + 4 <= extra.Length)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(extra[at..]);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(extra[(at + 2)..]);
            if (id == 0x0001 && length >= 8 && at + 4 + 8 <= extra.Length)
                return (long)BinaryPrimitives.ReadUInt64LittleEndian(extra[(at + 4)..]);
            at += 4 + length;
        }
        return null;
    }
}
