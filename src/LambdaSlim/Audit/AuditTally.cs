namespace LambdaSlim.Audit;

/// <summary>
/// What an audit examined, each file counted once however many deployments it is part of: all files, ELF binaries
/// (of them, Python extension modules) and macOS or Windows binaries.
/// </summary>
public sealed class AuditTally
{
    private readonly HashSet<(string, string)> _files = [];
    private readonly HashSet<(string, string)> _elf = [];
    private readonly HashSet<(string, string)> _extensionModules = [];
    private readonly HashSet<(string, string)> _foreign = [];

    public int Files => _files.Count;
    public int Elf => _elf.Count;
    public int ExtensionModules => _extensionModules.Count;
    public int Foreign => _foreign.Count;

    internal void Add(AuditFile file, NativeFileKind kind, string name)
    {
        var key = (file.Artifact, file.ArchivePath);
        _files.Add(key);
        if (kind.IsForeign()) _foreign.Add(key);
        if (kind != NativeFileKind.Elf) return;
        _elf.Add(key);
        if (ExtensionModuleAbi.IsExtensionModule(name)) _extensionModules.Add(key);
    }

    /// <summary>"checked 1234 files, 12 ELF (8 extension modules)": short enough for a progress line.</summary>
    public string Describe()
    {
        var text = $"checked {Files} file{(Files == 1 ? "" : "s")}, {Elf} ELF ({ExtensionModules} extension module{(ExtensionModules == 1 ? "" : "s")})";
        return Foreign > 0 ? $"{text}, {Foreign} macOS/Windows" : text;
    }
}
