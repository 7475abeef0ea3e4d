using System.Runtime.InteropServices;

namespace LambdaSlim.IO;

/// <summary>
/// Puts a complete folder in place of another in one step, so a reader (or a killed build) sees the old folder or
/// the new one, never a mix. On Linux that is renameat2(RENAME_EXCHANGE); elsewhere two renames, with the old folder
/// kept at a known name until the new one is in place so that <see cref="Recover"/> can put it back.
/// </summary>
public static partial class DirectorySwap
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    /// <summary>Makes <paramref name="staged"/> the folder at <paramref name="live"/>; the previous one is deleted.</summary>
    public static void Commit(string staged, string live)
    {
        WriteBoundary.Check(staged);
        WriteBoundary.Check(live);
        if (!Directory.Exists(live))
        {
            Directory.Move(staged, live);
            return;
        }
        if (TryExchange(staged, live))
        {
            WriteBoundary.DeleteDirectory(staged); // now holds the previous build
            return;
        }
        var old = RetiredName(live);
        Directory.Move(live, old);
        Directory.Move(staged, live);
        WriteBoundary.DeleteDirectory(old);
    }

    /// <summary>After a build was killed between the two renames of the fallback: puts the previous folder back.</summary>
    public static void Recover(string live)
    {
        var old = RetiredName(live);
        if (!Directory.Exists(live) && Directory.Exists(old)) Directory.Move(WriteBoundary.Check(old), WriteBoundary.Check(live));
        else if (Directory.Exists(old)) WriteBoundary.DeleteDirectory(old);
    }

    private static string RetiredName(string live) => Path.TrimEndingDirectorySeparator(live) + ".previous";

    private static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return RenameAt2(AtFdCwd, Path.GetFullPath(a), AtFdCwd, Path.GetFullPath(b), RenameExchange) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // an old C library: the two-rename fallback
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
