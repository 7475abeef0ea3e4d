namespace LambdaSlim.Audit;

/// <summary>
/// Finds a shared library on the build machine to vendor into a layer's (or function's) lib/, which Lambda puts on
/// LD_LIBRARY_PATH. Only libraries of the target architecture qualify, and never parts of glibc: the runtime's
/// own copies must load.
/// </summary>
public static class LibraryVendor
{
    private static readonly string[] SearchDirs =
    [
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
    ];

    /// <summary>The real file (symlinks resolved) for a soname and ELF machine, or null.</summary>
    public static string? Find(string soname, ushort elfMachine)
    {
        foreach (var dir in SearchDirs)
        {
            var candidate = Path.Combine(dir, soname);
            if (!File.Exists(candidate)) continue;
            var real = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
            if (ElfInfo.Read(real).Info is { Machine: var machine } && machine == elfMachine) return real;
        }
        return null;
    }
}
