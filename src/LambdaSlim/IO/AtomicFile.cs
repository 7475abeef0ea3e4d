namespace LambdaSlim.IO;

/// <summary>Writes a file through a temporary sibling and a rename, so a failure never leaves half a file where a good one was.</summary>
public static class AtomicFile
{
    public static async Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken = default)
    {
        path = WriteBoundary.Check(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = TempSibling(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false))
            {
                await write(stream).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default) =>
        WriteAsync(path, async s =>
        {
            var bytes = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
            await s.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Replaces a folder with one that is complete: build into a temp sibling, then swap.</summary>
    public static void ReplaceDirectory(string tempDir, string finalDir)
    {
        WriteBoundary.DeleteDirectory(finalDir);
        Directory.Move(WriteBoundary.Check(tempDir), finalDir);
    }

    /// <summary>A name beside <paramref name="path"/> that no other writer uses; the next build removes any left behind.</summary>
    public static string TempSibling(string path)
    {
        var name = Path.GetFileName(path);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{name[..Math.Min(name.Length, 100)]}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
