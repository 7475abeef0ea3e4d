using LambdaSlim.Elf;

namespace LambdaSlim.Audit;

/// <summary>The symbol versions a binary needs from one library it links (one entry of <c>.gnu.version_r</c>).</summary>
public sealed record ElfVersionNeed(string File, IReadOnlyList<string> Versions);

/// <summary>
/// What the dynamic loader reads from an ELF file before it can load it: class, byte order, type, machine,
/// the libraries it needs, where it looks for them, and the symbol versions it needs from each.
/// </summary>
public sealed record ElfInfo(
    bool Is64Bit,
    bool LittleEndian,
    ushort Type,
    ushort Machine,
    IReadOnlyList<string> Needed,
    string? SoName,
    IReadOnlyList<string> RPath,
    IReadOnlyList<string> RunPath,
    IReadOnlyList<ElfVersionNeed> VersionNeeds)
{
    // AuditStage reads these (choosing what to vendor); the values live in ElfConstants.
    public const ushort MachineX86_64 = ElfConstants.MachineX86_64, MachineAarch64 = ElfConstants.MachineAarch64;

    /// <summary>Executables and shared objects are what the loader maps; relocatable objects (.o) never load.</summary>
    public bool IsLoadable => Type is ElfConstants.TypeExecutable or ElfConstants.TypeShared;

    /// <summary>Reads an ELF file. Never throws: unreadable, truncated or garbage files come back as an error.</summary>
    public static ElfReadResult Read(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            return ElfInfoParser.Parse(new FileBytes(handle, RandomAccess.GetLength(handle)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ElfReadResult.Failed($"cannot read: {e.Message}");
        }
    }

    /// <summary>Reads ELF bytes held in memory. Never throws.</summary>
    public static ElfReadResult Parse(byte[] bytes) => ElfInfoParser.Parse(new MemoryBytes(bytes));
}

public sealed record ElfReadResult(ElfInfo? Info, string? Error)
{
    public static ElfReadResult Failed(string error) => new(null, error);
}
