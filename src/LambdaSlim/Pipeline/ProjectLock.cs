using LambdaSlim.IO;
using LambdaSlim.Model;

namespace LambdaSlim.Pipeline;

/// <summary>
/// One LambdaSlim at a time changes a project's .lambdaslim folder. The lock is the kernel's (flock, taken by
/// FileShare.None), so a build killed by SIGKILL or a power cut never leaves a stale lock behind.
/// </summary>
public sealed class ProjectLock : IDisposable
{
    private readonly FileStream _file;
    private readonly IDisposable _boundary;

    private ProjectLock(FileStream file, IDisposable boundary)
    {
        _file = file;
        _boundary = boundary;
    }

    /// <summary>
    /// Takes the project's lock and allows writes under .lambdaslim (and <paramref name="alsoAllowed"/>, e.g. the
    /// user's cache folder) until disposed. Leftovers of a build that was killed are cleaned up here.
    /// </summary>
    public static ProjectLock Acquire(BuildPaths paths, params string[] alsoAllowed)
    {
        var boundary = WriteBoundary.Allow([paths.Root, .. alsoAllowed]);
        try
        {
            if (File.Exists(paths.Root))
                throw LambdaSlimException.Input($"{paths.Root} is a file", "LambdaSlim keeps its work there: move the file away");
            WriteBoundary.CreateDirectory(paths.Root);
            var lockFile = Path.Combine(paths.Root, "lock");
            FileStream file;
            try
            {
                file = new FileStream(WriteBoundary.Check(lockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(lockFile))
            {
                var pid = ReadPid(Path.Combine(paths.Root, OwnerFile));
                throw new LambdaSlimException(ExitCode.Busy,
                    $"another lambdaslim is building in {paths.ProjectDir}{(pid is null ? "" : $" (pid {pid})")}",
                    "wait for it to finish, then run again");
            }
            // The lock file itself can't be read by the one who waits (flock), so the holder's pid goes beside it.
            File.WriteAllText(WriteBoundary.Check(Path.Combine(paths.Root, OwnerFile)), $"{Environment.ProcessId}\n");
            RemoveLeftovers(paths);
            return new ProjectLock(file, boundary);
        }
        catch
        {
            boundary.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _boundary.Dispose();
    }

    private const string OwnerFile = "lock.owner";

    private static string? ReadPid(string ownerFile)
    {
        try
        {
            return File.ReadAllText(ownerFile).Trim() is { Length: > 0 } pid && pid.All(char.IsAsciiDigit) ? pid : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>What a killed build leaves: a staged output that never got committed, temporary files, half a pip install.</summary>
    private static void RemoveLeftovers(BuildPaths paths)
    {
        DirectorySwap.Recover(paths.Output);
        foreach (var staged in Directory.EnumerateDirectories(paths.Root, BuildPaths.StagingPrefix + "*"))
            WriteBoundary.DeleteDirectory(staged);
        foreach (var dir in new[] { paths.Output, paths.Work }.Where(Directory.Exists))
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true, MaxRecursionDepth = 2 };
            var leftovers = Directory.EnumerateFileSystemEntries(dir, "*", options)
                .Where(e => Path.GetFileName(e) is var n && (n.Contains(".tmp-", StringComparison.Ordinal) || n.EndsWith(".tmp", StringComparison.Ordinal)))
                .ToList();
            foreach (var entry in leftovers)
            {
                if (Directory.Exists(entry)) WriteBoundary.DeleteDirectory(entry);
                else WriteBoundary.DeleteFile(entry);
            }
        }
    }
}
