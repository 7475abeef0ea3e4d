using LambdaSlim.Elf;

namespace LambdaSlim.Prune;

/// <summary>One section header as read, with its raw 64 bytes so the rewritten table changes only what it must.</summary>
internal sealed record ElfSection(int Index, string Name, uint Type, ulong Flags, long Offset, long Size, uint Link, uint Info, ulong AddrAlign, byte[] RawHeader)
{
    public bool IsAlloc => (Flags & ElfConstants.ShfAlloc) != 0;
    public bool HasFileBytes => Type != ElfConstants.ShtNobits && Size > 0;
    public long End => Offset + (Type == ElfConstants.ShtNobits ? 0 : Size);

    /// <summary>sh_info is a section index for relocation sections and whenever SHF_INFO_LINK says so; otherwise a count.</summary>
    public bool InfoIsSectionIndex => (Flags & ElfConstants.ShfInfoLink) != 0 || (Type is ElfConstants.ShtRel or ElfConstants.ShtRela && Info != 0);
}
