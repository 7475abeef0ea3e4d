using LambdaSlim.IO;
using LambdaSlim.Project;

namespace LambdaSlim.Pipeline;

/// <summary>
/// Builds a resource with `Metadata: BuildMethod: makefile` as `sam build` does (aws-lambda-builders' custom_make):
/// the source is copied to a scratch folder, and `make --makefile M build-&lt;LogicalId&gt;` runs there (or in
/// ContextPath) with ARTIFACTS_DIR set to an empty folder and the user's environment passed through.
/// </summary>
public static class MakeRunner
{
    /// <summary>Folders a copy of the source leaves out, as SAM's copy does (and LambdaSlim's own).</summary>
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal) { ".aws-sam", ".git", ".lambdaslim" };

    /// <summary>Runs make and returns ARTIFACTS_DIR: what the resource's zip holds, laid out as in the zip.</summary>
    public static async Task<string> BuildAsync(BuildContext context, string logicalId, string owner, MakeBuild make, CancellationToken cancellationToken)
    {
        var root = context.Paths.MakeWork(logicalId);
        var scratch = Path.Combine(root, "source");
        var artifacts = context.Paths.MakeArtifacts(logicalId);
        WriteBoundary.DeleteDirectory(root);
        CopyTree(make.SourceDir, scratch);
        WriteBoundary.CreateDirectory(artifacts);

        using var step = context.Observer.Step($"Running make build-{logicalId} for {owner}");
        var lines = new List<string>();
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("make", ["--makefile", make.Makefile, $"build-{logicalId}"], line =>
            {
                lock (lines) lines.Add(line);
                step.Status(line.Trim());
            }, new Dictionary<string, string?> { ["ARTIFACTS_DIR"] = artifacts }, make.WorkingDir ?? scratch, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            throw LambdaSlimException.Tool($"{owner} has BuildMethod: makefile but make is not installed", "install make (apt-get install make), as sam build needs it too");
        }
        if (result.ExitCode != 0)
        {
            var last = lines.Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(3);
            throw new LambdaSlimException(ExitCode.ExternalToolFailed, $"{owner}: make build-{logicalId} failed (exit {result.ExitCode}): {string.Join(" | ", last)}",
                $"fix the Makefile target build-{logicalId} in {make.Makefile}; rerun with --verbose for make's whole output") { Details = result.Combined };
        }
        if (!Directory.EnumerateFileSystemEntries(artifacts).Any())
            throw LambdaSlimException.Input($"{owner}: make build-{logicalId} put nothing in $ARTIFACTS_DIR",
                "the target must copy what the zip should hold into $(ARTIFACTS_DIR)");
        step.Status($"{owner}: built with make");
        return artifacts;
    }

    private static void CopyTree(string from, string to)
    {
        WriteBoundary.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (NotCopied.Contains(name)) continue;
            if (new DirectoryInfo(dir).LinkTarget is not null) { File.CreateSymbolicLink(Path.Combine(to, name), new DirectoryInfo(dir).LinkTarget!); continue; }
            CopyTree(dir, Path.Combine(to, name));
        }
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var target = WriteBoundary.Check(Path.Combine(to, Path.GetFileName(file)));
            if (new FileInfo(file).LinkTarget is { } link) File.CreateSymbolicLink(target, link);
            else File.Copy(file, target);
        }
    }
}
