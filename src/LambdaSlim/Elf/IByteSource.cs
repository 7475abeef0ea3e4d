namespace LambdaSlim.Elf;

/// <summary>Random access to a file's bytes, so a 500 MB libtorch is read a few KB at a time.</summary>
internal interface IByteSource
{
    long Length { get; }

    /// <summary>The bytes at [offset, offset+count), or null when that range is not all inside the file.</summary>
    byte[]? ReadAt(ulong offset, ulong count);
}
