using System.Buffers.Binary;
using LambdaSlim.Elf;

namespace LambdaSlim.Audit;

/// <summary>
/// Tells native code from everything else by its first bytes, not its name: extension modules are ".so" on every
/// platform, so a macOS build of a module looks like a Linux one until its magic number is read.
/// </summary>
public static class NativeFileKinds
{
    private const int HeaderBytes = 64;

    public static bool IsForeign(this NativeFileKind kind) => kind is NativeFileKind.MachO or NativeFileKind.PortableExecutable or NativeFileKind.ForeignByName;

    public static string Describe(this NativeFileKind kind) => kind switch
    {
        NativeFileKind.Elf => "Linux (ELF)",
        NativeFileKind.MachO => "macOS (Mach-O)",
        NativeFileKind.PortableExecutable => "Windows (PE)",
        NativeFileKind.ForeignByName => "macOS or Windows",
        _ => "not native code",
    };

    /// <summary>Classifies a file on disk; a file that cannot be read is not native (the zip step reports it).</summary>
    public static NativeFileKind Detect(string path, string name)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            var header = new byte[HeaderBytes];
            var read = RandomAccess.Read(handle, header, 0);
            var kind = FromHeader(header.AsSpan(0, read), name);
            return kind == NativeFileKind.PortableExecutable && !HasPeSignature(handle, header.AsSpan(0, read)) ? FromName(name) : kind;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FromName(name);
        }
    }

    /// <summary>Classifies by the first bytes of a file (at least 4; 64 lets PE files be told apart from text starting "MZ").</summary>
    public static NativeFileKind FromHeader(ReadOnlySpan<byte> header, string name)
    {
        if (IsElf(header)) return NativeFileKind.Elf;
        if (header.Length >= 4)
        {
            var magic = BinaryPrimitives.ReadUInt32BigEndian(header);
            switch (magic)
            {
                case 0xFEEDFACE or 0xFEEDFACF: // MH_MAGIC, MH_MAGIC_64 stored big-endian
                case 0xCEFAEDFE or 0xCFFAEDFE: // the same stored little-endian (every Intel and Apple silicon build)
                case 0xBEBAFECA or 0xBFBAFECA: // FAT_CIGAM, FAT_CIGAM_64: universal binary with swapped byte order
                case 0xCAFEBABF: // FAT_MAGIC_64
                    return NativeFileKind.MachO;
                case 0xCAFEBABE when IsFatMachO(header):
                    return NativeFileKind.MachO;
            }
        }
        if (header.Length >= 2 && header[0] == (byte)'M' && header[1] == (byte)'Z') return NativeFileKind.PortableExecutable;
        return FromName(name);
    }

    public static bool IsElf(ReadOnlySpan<byte> header) => ElfConstants.HasMagic(header);

    /// <summary>
    /// 0xCAFEBABE also starts every Java class file. A universal binary follows it with its architecture count
    /// (a handful); a class file with its version (45 and up), which is how file(1) tells them apart too.
    /// </summary>
    private static bool IsFatMachO(ReadOnlySpan<byte> header) => header.Length < 8 || BinaryPrimitives.ReadUInt32BigEndian(header[4..]) < 45;

    /// <summary>A PE image has "PE\0\0" at the offset stored at 0x3C; text that merely starts with "MZ" does not.</summary>
    private static bool HasPeSignature(Microsoft.Win32.SafeHandles.SafeFileHandle handle, ReadOnlySpan<byte> header)
    {
        if (header.Length < 0x40) return false;
        var peOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[0x3C..]);
        if (peOffset > RandomAccess.GetLength(handle) - 4) return false;
        Span<byte> signature = stackalloc byte[4];
        return RandomAccess.Read(handle, signature, peOffset) == 4 && signature.SequenceEqual("PE\0\0"u8);
    }

    private static NativeFileKind FromName(string name) =>
        name.EndsWith(".pyd", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".dylib", StringComparison.OrdinalIgnoreCase)
            ? NativeFileKind.ForeignByName
            : NativeFileKind.NotNative;
}
