namespace LambdaSlim.Elf;

/// <summary>Range checks shared by every reader of file offsets and sizes taken from ELF headers.</summary>
internal static class ByteSource
{
    /// <summary>True when [offset, offset+count) lies inside a file of <paramref name="length"/> bytes, without overflow.</summary>
    public static bool InRange(long length, ulong offset, ulong count) => offset <= (ulong)length && count <= (ulong)length - offset;

    public static bool Contains(this IByteSource file, ulong offset, ulong count) => InRange(file.Length, offset, count);
}
