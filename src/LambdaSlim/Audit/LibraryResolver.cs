namespace LambdaSlim.Audit;

internal enum ResolvedBy { Deployment, Runtime, Missing }

/// <summary>Where a needed library comes from. <c>ShadowedCopy</c> is a deployment copy the runtime's library wins over.</summary>
internal sealed record LibraryResolution(ResolvedBy By, DeployedFile? File = null, DeployedFile? ShadowedCopy = null);

/// <summary>
/// Finds a DT_NEEDED library the way ld.so does: the needing file's DT_RPATH (only when it has no DT_RUNPATH), then
/// LD_LIBRARY_PATH — the runtime's folders first, then /var/task, /var/task/lib and /opt/lib — then its DT_RUNPATH.
/// </summary>
internal static class LibraryResolver
{
    public static LibraryResolution Resolve(AuditContext context, DeployedFile file, ElfInfo elf, string needed)
    {
        var deployment = context.Deployment;
        if (needed.Contains('/'))
        {
            var direct = deployment.Find(needed.StartsWith('/') ? needed : LambdaFileSystem.TaskRoot + "/" + needed);
            return direct is null ? new LibraryResolution(ResolvedBy.Missing) : new LibraryResolution(ResolvedBy.Deployment, direct);
        }

        var origin = LambdaFileSystem.Directory(file.LambdaPath);
        if (elf.RunPath.Count == 0 && InFolders(deployment, Expand(elf.RPath, origin), needed) is { } viaRpath)
            return new LibraryResolution(ResolvedBy.Deployment, viaRpath);

        var runtimeChecked = false;
        foreach (var dir in context.Environment.Manifest.LibraryPath)
        {
            if (LambdaFileSystem.IsDeploymentFolder(dir))
            {
                if (deployment.Find(dir + "/" + needed) is { } onPath) return new LibraryResolution(ResolvedBy.Deployment, onPath);
            }
            else if (!runtimeChecked)
            {
                runtimeChecked = true;
                if (context.Environment.Provides(needed))
                    return new LibraryResolution(ResolvedBy.Runtime,
                        ShadowedCopy: InFolders(deployment, context.Environment.Manifest.LibraryPath.Concat(Expand(elf.RunPath, origin)), needed));
            }
        }

        if (InFolders(deployment, Expand(elf.RunPath, origin), needed) is { } viaRunpath)
            return new LibraryResolution(ResolvedBy.Deployment, viaRunpath);
        return new LibraryResolution(ResolvedBy.Missing);
    }

    private static DeployedFile? InFolders(LambdaFileSystem deployment, IEnumerable<string> dirs, string needed) =>
        dirs.Where(LambdaFileSystem.IsDeploymentFolder).Select(d => deployment.Find(d + "/" + needed)).FirstOrDefault(f => f is not null);

    /// <summary>$ORIGIN is the needing file's own folder (auditwheel's "$ORIGIN/../numpy.libs"); a relative entry is relative to the working directory, /var/task.</summary>
    private static IEnumerable<string> Expand(IEnumerable<string> entries, string origin) =>
        entries.Select(e => e.Replace("${ORIGIN}", origin, StringComparison.Ordinal).Replace("$ORIGIN", origin, StringComparison.Ordinal))
            .Select(e => LambdaFileSystem.Normalize(e.StartsWith('/') ? e : LambdaFileSystem.TaskRoot + "/" + e));
}
