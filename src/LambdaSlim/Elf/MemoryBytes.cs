namespace LambdaSlim.Elf;

/// <summary>Bytes held in memory, read like a file.</summary>
internal sealed class MemoryBytes(byte[] bytes) : IByteSource
{
    public long Length => bytes.Length;

    public byte[]? ReadAt(ulong offset, ulong count) =>
        ByteSource.InRange(bytes.Length, offset, count) ? bytes.AsSpan((int)offset, (int)count).ToArray() : null;
}
