using System.Buffers.Binary;

namespace LambdaSlim.Elf;

/// <summary>
/// Reads fixed-size integers in the file's byte order from bytes held in memory. Every read is checked against the
/// span: a read past its end throws <see cref="ElfFormatException"/>, which the parsers turn into a result.
/// </summary>
public readonly ref struct ElfSpanReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly bool _little;

    public ElfSpanReader(ReadOnlySpan<byte> bytes, bool littleEndian)
    {
        _bytes = bytes;
        _little = littleEndian;
    }

    public int Length => _bytes.Length;

    public ushort U16(int at) => _little ? BinaryPrimitives.ReadUInt16LittleEndian(Slice(at, 2)) : BinaryPrimitives.ReadUInt16BigEndian(Slice(at, 2));
    public uint U32(int at) => _little ? BinaryPrimitives.ReadUInt32LittleEndian(Slice(at, 4)) : BinaryPrimitives.ReadUInt32BigEndian(Slice(at, 4));
    public ulong U64(int at) => _little ? BinaryPrimitives.ReadUInt64LittleEndian(Slice(at, 8)) : BinaryPrimitives.ReadUInt64BigEndian(Slice(at, 8));

    /// <summary>An address, offset or size: 8 bytes at <paramref name="at64"/> in ELF64, 4 bytes at <paramref name="at32"/> in ELF32.</summary>
    public ulong Word(bool is64, int at64, int at32) => is64 ? U64(at64) : U32(at32);

    private ReadOnlySpan<byte> Slice(int at, int count)
    {
        if (at < 0 || count > _bytes.Length - at)
            throw new ElfFormatException($"truncated: {count} bytes at offset {at} lie past the end of a {_bytes.Length}-byte table");
        return _bytes.Slice(at, count);
    }
}
