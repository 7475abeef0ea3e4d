using System.Buffers.Binary;
using LambdaSlim.Elf;

namespace LambdaSlim.Audit;

public enum NativeFileKind
{
    NotNative,
    Elf,
    MachO,
    PortableExecutable,

    /// <summary>Named like a macOS or Windows library (.dylib, .pyd) but without a magic number we know.</summary>
    ForeignByName,
}

