using LambdaSlim.IO;
using LambdaSlim.Model;

namespace LambdaSlim.Verify;

/// <summary>
/// A folder laid out as Lambda lays out a function: its layers extracted in order into opt/ (a later layer
/// overwrites an earlier one) and its code in var/task/. Files are symbolic links to the artifact's sources,
/// so a 200 MB layer costs nothing to lay out, and a file pruning removed is simply not there.
/// </summary>
public sealed class LambdaLayout
{
    private LambdaLayout(string root) => Root = root;

    public string Root { get; }
    public string Opt => Path.Combine(Root, "opt");
    public string Task => Path.Combine(Root, "var", "task");

    public static LambdaLayout Create(string root, IReadOnlyList<ArtifactContents> layers, ArtifactContents? function)
    {
        WriteBoundary.DeleteDirectory(root);
        var layout = new LambdaLayout(root);
        foreach (var layer in layers) Place(layer, layout.Opt);
        if (function is not null) Place(function, layout.Task);
        Directory.CreateDirectory(layout.Opt);
        Directory.CreateDirectory(layout.Task);
        return layout;
    }

    private static void Place(ArtifactContents contents, string root)
    {
        foreach (var e in contents.Entries)
        {
            var target = Path.Combine(root, e.ArchivePath.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target) || new FileInfo(target).LinkTarget is not null) File.Delete(target);
            File.CreateSymbolicLink(target, Path.GetFullPath(e.Source));
        }
    }

    /// <summary>sys.path entries in the runtime's order: /var/task, /opt/python/lib/python3.X/site-packages, /opt/python.</summary>
    public IReadOnlyList<string> SysPath(string pythonVersion) =>
        [Task, Path.Combine(Opt, "python", "lib", $"python{pythonVersion}", "site-packages"), Path.Combine(Opt, "python")];

    /// <summary>
    /// LD_LIBRARY_PATH as the runtime sets it: the interpreter's own lib folder first (/var/lang/lib on Lambda),
    /// then the system folders, then /var/task, /var/task/lib, /opt/lib, so a vendored library fills a gap but
    /// never overrides a system one.
    /// </summary>
    public string LibraryPath(string python)
    {
        var own = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(python)!, "..", "lib"));
        string[] system = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64"];
        return string.Join(':', new[] { own }.Concat(system).Where(Directory.Exists).Concat([Task, Path.Combine(Task, "lib"), Path.Combine(Opt, "lib")]));
    }
}
