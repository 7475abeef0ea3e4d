namespace LambdaSlim.Elf;

/// <summary>Random access to a file's bytes, so a 500 MB libtorch is read a few KB at a time.</summary>
internal interface IByteSource
{
    long Length { get; }

    /// <summary>The bytes at [offset, offset+count), or null when that range is not all inside the file.</summary>
    byte[]? ReadAt(ulong offset, ulong count);
}

internal static class ByteSource
{
    /// <summary>True when [offset, offset+count) lies inside a file of <paramref name="length"/> bytes, without overflow.</summary>
    public static bool InRange(long length, ulong offset, ulong count) => offset <= (ulong)length && count <= (ulong)length - offset;

    public static bool Contains(this IByteSource file, ulong offset, ulong count) => InRange(file.Length, offset, count);
}
