using LambdaSlim.IO;

namespace LambdaSlim.Prune;

/// <summary>The fallback for layouts the pure path refuses: <c>strip --strip-unneeded</c>, kept only if the loader will still accept it.</summary>
internal static class BinutilsStrip
{
    /// <summary>Null when there is no strip on PATH.</summary>
    public static StripResult? TryStrip(string input, string output, long before, string whyNotPure)
    {
        var strip = ProcessRunner.FindOnPath("strip");
        if (strip is null) return null;
        var temp = AtomicFile.TempSibling(output);
        try
        {
            // Strip is a synchronous API; ProcessRunner awaits with ConfigureAwait(false), so blocking here cannot deadlock.
            var run = ProcessRunner.RunAsync(strip, ["--strip-unneeded", "-o", temp, input]).GetAwaiter().GetResult();
            if (run.ExitCode != 0 || !File.Exists(temp))
                return Unsupported(before, $"{whyNotPure}; binutils strip: {FirstLine(run.StdErr) ?? $"exited with {run.ExitCode}"}");
            if (LoadSegmentCheck.Compare(input, temp) is { } problem)
                return Unsupported(before, $"{whyNotPure}; binutils strip output rejected: {problem}");
            var after = new FileInfo(temp).Length;
            if (after >= before)
                return new StripResult(StripOutcome.AlreadyStripped, before, before, ElfStripper.BinutilsTool, $"pure .NET: {whyNotPure}");
            ElfStripper.CopyFileMode(input, temp);
            File.Move(temp, output, overwrite: true);
            return new StripResult(StripOutcome.Stripped, before, after, ElfStripper.BinutilsTool, $"pure .NET: {whyNotPure}");
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static StripResult Unsupported(long before, string reason) =>
        new(StripOutcome.Unsupported, before, before, ElfStripper.BinutilsTool, reason);

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
