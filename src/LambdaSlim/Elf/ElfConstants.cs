namespace LambdaSlim.Elf;

/// <summary>The numbers of the ELF specification that LambdaSlim reads: identification, types, machines, segments, sections.</summary>
public static class ElfConstants
{
    public const byte ClassElf32 = 1, ClassElf64 = 2;
    public const byte DataLittleEndian = 1, DataBigEndian = 2;
    public const byte VersionCurrent = 1;

    /// <summary>e_ident is 16 bytes; the header proper follows it.</summary>
    public const int IdentSize = 16;
    public const int Header32Size = 52, Header64Size = 64;
    public const int ProgramHeader32Size = 32, ProgramHeader64Size = 56;
    public const int SectionHeader32Size = 40, SectionHeader64Size = 64;
    public const int Symbol64Size = 24;

    public const ushort TypeRelocatable = 1, TypeExecutable = 2, TypeShared = 3;

    public const ushort MachineI386 = 3, MachineMips = 8, MachinePowerPc = 20, MachinePowerPc64 = 21, MachineS390 = 22;
    public const ushort MachineArm = 40, MachineX86_64 = 62, MachineAarch64 = 183, MachineRiscV = 243;

    public const uint PtLoad = 1, PtDynamic = 2, PtGnuStack = 0x6474e551;

    public const uint ShtSymtab = 2, ShtStrtab = 3, ShtRela = 4, ShtDynamic = 6, ShtNobits = 8, ShtRel = 9, ShtDynsym = 11;
    public const uint ShtGroup = 17, ShtSymtabShndx = 18, ShtGnuVerneed = 0x6ffffffe;
    public const ulong ShfAlloc = 0x2, ShfInfoLink = 0x40;
    public const ushort ShnLoReserve = 0xff00, ShnXIndex = 0xffff, PnXNum = 0xffff;

    public const long DtNull = 0, DtNeeded = 1, DtStrtab = 5, DtStrsz = 10, DtSoname = 14, DtRpath = 15, DtRunpath = 29;
    public const long DtVerneed = 0x6ffffffe, DtVerneednum = 0x6fffffff;

    public static bool HasMagic(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';

    public static string MachineName(ushort machine) => machine switch
    {
        MachineX86_64 => "x86_64",
        MachineAarch64 => "aarch64",
        MachineI386 => "i386",
        MachineMips => "MIPS",
        MachinePowerPc => "PowerPC",
        MachinePowerPc64 => "PowerPC64",
        MachineS390 => "s390",
        MachineArm => "ARM (32-bit)",
        MachineRiscV => "RISC-V",
        _ => $"machine {machine}",
    };
}
