using System.IO.Compression;
using LambdaSlim.IO;
using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Verify;

/// <summary>
/// A folder laid out as Lambda lays out a function: its layers extracted in order into opt/ (a later layer
/// overwrites an earlier one) and its code in var/task/, and the environment the runtime starts the interpreter in.
/// Import verification lays out artifacts with symbolic links to their sources (<see cref="Create"/>), so a 200 MB
/// layer costs nothing to lay out and a file pruning removed is simply not there; cold-start measurement extracts
/// the built zips (<see cref="Extract"/>). Functions on the same layers share one opt/ (<see cref="WithFunction"/>). Both run Python the same way, through <see cref="Environment"/> and
/// <see cref="SysPath"/>, so an import that works in one works in the other.
/// </summary>
public sealed class LambdaLayout
{
    /// <summary>The function name the handler sees (AWS_LAMBDA_FUNCTION_NAME) when LambdaSlim runs it here.</summary>
    public const string FunctionName = "lambdaslim-verify";

    /// <summary>
    /// The build machine's library folders, standing in for the runtime's system folders of the manifest's
    /// library path (/lib64, /usr/lib64, ...): Debian's multiarch folders first, then the Red Hat ones. Only those
    /// that exist are used.
    /// </summary>
    private static readonly string[] HostSystemFolders =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64"];

    private const string LambdaTask = "/var/task";
    private const string LambdaOpt = "/opt";
    private const string LambdaLang = "/var/lang";

    private LambdaLayout(string root) => Root = root;

    public string Root { get; }
    public string Opt => Path.Combine(Root, "opt");
    public string Task => Path.Combine(Root, "var", "task");

    /// <summary>Lays out artifacts' contents as symbolic links to their sources.</summary>
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

    /// <summary>
    /// This layout's layers with another function: only its var/task/ is laid out (under <paramref name="root"/>), and
    /// its opt/ is a link to this layout's, so every function on the same layers shares one set of links to them while
    /// each layout still looks like Lambda's, one root with opt/ and var/task/.
    /// </summary>
    public LambdaLayout WithFunction(string root, ArtifactContents function)
    {
        WriteBoundary.DeleteDirectory(root);
        var layout = new LambdaLayout(root);
        Directory.CreateDirectory(root);
        Directory.CreateSymbolicLink(layout.Opt, Path.GetFullPath(Opt));
        Place(function, layout.Task);
        Directory.CreateDirectory(layout.Task);
        return layout;
    }

    /// <summary>Lays out built zips by extracting them: the layers in order into opt/, the function into var/task/; without .pyc files when <paramref name="skipBytecode"/>.</summary>
    public static LambdaLayout Extract(string root, IReadOnlyList<string> layerZips, string? functionZip, bool skipBytecode)
    {
        WriteBoundary.DeleteDirectory(root);
        var layout = new LambdaLayout(root);
        Directory.CreateDirectory(layout.Opt);
        Directory.CreateDirectory(layout.Task);
        foreach (var zip in layerZips) Unzip(zip, layout.Opt, skipBytecode);
        if (functionZip is not null) Unzip(functionZip, layout.Task, skipBytecode);
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

    private static void Unzip(string zip, string root, bool skipBytecode)
    {
        using var archive = ZipFile.OpenRead(zip);
        foreach (var entry in archive.Entries)
        {
            if (skipBytecode && entry.FullName.EndsWith(".pyc", StringComparison.Ordinal)) continue;
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: true); // a later layer overwrites an earlier one, as on Lambda
        }
    }

    /// <summary>sys.path entries in the runtime's order: /var/task, /opt/python/lib/python3.X/site-packages, /opt/python.</summary>
    public IReadOnlyList<string> SysPath(string pythonVersion) =>
        [Task, Path.Combine(Opt, "python", "lib", $"python{pythonVersion}", "site-packages"), Path.Combine(Opt, "python")];

    /// <summary>
    /// LD_LIBRARY_PATH as the runtime sets it: the runtime manifest's library path with each Lambda folder mapped
    /// here - /var/lang to the interpreter's own prefix, /var/task and /opt into this layout, and the runtime's system
    /// folders to the build machine's library folders - so a vendored library fills a gap but never overrides a system one.
    /// </summary>
    public string LibraryPath(string python)
    {
        var prefix = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(python)!, ".."));
        var folders = new List<string>();
        var systemAdded = false;
        foreach (var folder in RuntimeManifest.BuiltIn.LibraryPath)
        {
            if (Under(folder, LambdaLang) is { } lang) folders.Add(Path.GetFullPath(Path.Combine(prefix, lang)));
            else if (Under(folder, LambdaTask) is { } task) folders.Add(Path.Combine(Task, task).TrimEnd(Path.DirectorySeparatorChar));
            else if (Under(folder, LambdaOpt) is { } opt) folders.Add(Path.Combine(Opt, opt).TrimEnd(Path.DirectorySeparatorChar));
            else if (!systemAdded)
            {
                folders.AddRange(HostSystemFolders.Where(Directory.Exists));
                systemAdded = true;
            }
        }
        return string.Join(':', folders.Distinct(StringComparer.Ordinal));
    }

    /// <summary>"lib" for /var/task/lib under /var/task, "" for /var/task itself, null when not under it.</summary>
    private static string? Under(string folder, string lambdaRoot) =>
        folder == lambdaRoot ? ""
        : folder.StartsWith(lambdaRoot + "/", StringComparison.Ordinal) ? folder[(lambdaRoot.Length + 1)..]
        : null;

    /// <summary>
    /// The environment the runtime gives the interpreter, on top of the build machine's: the function's own variables
    /// from the template, then LD_LIBRARY_PATH, the task root, a region, a function name (Lambda's reserved variables
    /// win over the function's, as on Lambda); no bytecode written (/var/task and /opt are read-only on Lambda), and
    /// no PYTHONPATH or PYTHONHOME of the build machine's.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment(string python, IReadOnlyDictionary<string, string>? variables = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in variables ?? new Dictionary<string, string>()) environment[name] = value;
        environment["LD_LIBRARY_PATH"] = LibraryPath(python);
        environment["LAMBDA_TASK_ROOT"] = Task;
        environment["AWS_REGION"] = System.Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
        environment["AWS_DEFAULT_REGION"] = System.Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
        environment["AWS_LAMBDA_FUNCTION_NAME"] = FunctionName;
        environment["PYTHONDONTWRITEBYTECODE"] = "1";
        environment["PYTHONPATH"] = null;
        environment["PYTHONHOME"] = null;
        return environment;
    }
}
