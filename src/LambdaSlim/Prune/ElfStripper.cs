using LambdaSlim.Elf;
using LambdaSlim.IO;

namespace LambdaSlim.Prune;

/// <summary>
/// Removes debug sections and the static symbol table from ELF shared objects (Python extension modules,
/// vendored <c>*.so.N</c> libraries), like <c>strip --strip-unneeded</c> but without moving a single byte that a
/// program header maps: stripping that moves segments is what produces "ELF load command address/offset not
/// properly aligned" at import time. When the file's layout cannot be proved safe, binutils strip is the fallback,
/// and its output is only kept when every loadable segment is still aligned the way the loader demands.
/// </summary>
public static class ElfStripper
{
    public const string PureTool = "lambdaslim (pure .NET)";
    public const string BinutilsTool = "binutils strip";

    /// <summary>
    /// Writes a stripped copy of <paramref name="input"/> to <paramref name="output"/> only when the outcome is
    /// <see cref="StripOutcome.Stripped"/>; otherwise <paramref name="output"/> is not created.
    /// Tool is "" for files that are not ELF, otherwise the tool that decided the outcome.
    /// </summary>
    public static StripResult Strip(string input, string output)
    {
        var before = new FileInfo(input).Length;
        var (after, rejection) = StripInPureDotNet(input, output, before);
        return rejection switch
        {
            null => new StripResult(StripOutcome.Stripped, before, after, PureTool, null),
            { Outcome: StripOutcome.Unsupported } => BinutilsStrip.TryStrip(input, output, before, rejection.Reason)
                ?? new StripResult(StripOutcome.Unsupported, before, before, PureTool, rejection.Reason),
            _ => new StripResult(rejection.Outcome, before, before, rejection.Outcome == StripOutcome.NotElf ? "" : PureTool, rejection.Reason),
        };
    }

    /// <summary>The stripped length, or why the pure path will not strip this file (then <paramref name="output"/> is untouched).</summary>
    private static (long After, StripRejection? Rejection) StripInPureDotNet(string input, string output, long length)
    {
        var temp = AtomicFile.TempSibling(output);
        try
        {
            ElfStripPlan plan;
            using (var handle = File.OpenHandle(input))
            {
                var image = ElfImage.Read(new FileBytes(handle, length));
                if (image.Value is null) return (length, image.Rejection);
                var planned = ElfStripPlan.Create(image.Value);
                if (planned.Value is null) return (length, planned.Rejection);
                plan = planned.Value;
                if (plan.OutputLength >= length)
                    return (length, new StripRejection(StripOutcome.AlreadyStripped, "removable sections are empty; stripping would not shrink the file"));
                ElfStripWriter.Write(handle, plan, temp);
            }
            CopyFileMode(input, temp);
            if (LoadSegmentCheck.Compare(input, temp) is { } problem)
                return (length, StripRejection.Unsupported($"self-check of the stripped copy failed: {problem}"));
            File.Move(temp, output, overwrite: true);
            return (plan.OutputLength, null);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Executables and libraries in bin/ must stay executable; a fresh file would get the umask's mode instead.</summary>
    internal static void CopyFileMode(string from, string to)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(to, File.GetUnixFileMode(from));
    }
}
