using Microsoft.Win32.SafeHandles;

namespace LambdaSlim.Elf;

/// <summary>An open file read at offsets; ranges outside it come back as null.</summary>
internal sealed class FileBytes(SafeFileHandle handle, long length) : IByteSource
{
    public long Length => length;

    public byte[]? ReadAt(ulong offset, ulong count)
    {
        if (!ByteSource.InRange(length, offset, count) || count > int.MaxValue) return null;
        var buffer = new byte[count];
        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(done), (long)offset + done);
            if (n == 0) return null;
            done += n;
        }
        return buffer;
    }
}
