using System.Runtime.InteropServices;

namespace LambdaSlim.IO;

/// <summary>Puts a second name on a file's bytes (or copies them where links can't be made), so unchanged zips move into a staged build for free.</summary>
public static partial class HardLink
{
    public static void LinkOrCopy(string existing, string newPath)
    {
        WriteBoundary.Check(newPath);
        Directory.CreateDirectory(Path.GetDirectoryName(newPath)!);
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                if (Link(existing, newPath) == 0) return;
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { }
        }
        File.Copy(existing, newPath, overwrite: true);
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string newPath);
}
