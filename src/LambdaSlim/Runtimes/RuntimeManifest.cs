using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using LambdaSlim.Model;

namespace LambdaSlim.Runtimes;

/// <summary>How sure the manifest is of one fact, and where it comes from (keys of the manifest's sources).</summary>
public sealed record ManifestFact(bool Confirmed, string? Inferred, IReadOnlyList<string> Sources);

public sealed record ProvidedLibrary(string SoName, string? Package, ManifestFact Fact);

public sealed record KnownAbsentLibrary(string SoName, ManifestFact Fact);

/// <summary>The newest symbol version with one prefix (GLIBC, GLIBCXX, ...) that the named runtime libraries define.</summary>
public sealed record VersionLimit(SymbolVersion Max, IReadOnlyList<string> Libraries, ManifestFact Fact)
{
    public string Prefix => Max.Prefix;
}

/// <summary>What the runtime says about libpython: extension modules must take the C API from the running interpreter.</summary>
public sealed record PythonLibraryNote(string SoNamePrefix, bool Provided, ManifestFact Fact);

/// <summary>
/// The Lambda runtime manifest (src/LambdaSlim/Runtimes/Manifests/lambda-runtimes.yaml): the one source for what a
/// runtime is - which Python runtimes Lambda has, the Amazon Linux and glibc each runs on, the libraries it provides,
/// its LD_LIBRARY_PATH - kept as data with their sources, so correcting a version is an edit to one line of YAML with
/// its citation.
/// </summary>
public sealed class RuntimeManifest
{
    private const string ResourceSuffix = ".Runtimes.Manifests.lambda-runtimes.yaml";
    private const string FileName = "src/LambdaSlim/Runtimes/Manifests/lambda-runtimes.yaml";
    private static readonly Lazy<RuntimeManifest> BuiltInManifest = new(LoadBuiltIn);

    private readonly List<OperatingSystemEntry> _systems;
    private readonly List<(KnownAbsentLibrary Library, string? OperatingSystem)> _knownAbsent;

    private sealed record LibraryEntry(ProvidedLibrary Library, Architecture? Architecture);
    private sealed record OperatingSystemEntry(string Name, IReadOnlyList<PythonRuntime> Runtimes, IReadOnlyList<string> WheelTags,
        IReadOnlyList<VersionLimit> Versions, IReadOnlyList<LibraryEntry> Libraries);

    private RuntimeManifest(IReadOnlyDictionary<string, string> sources, IReadOnlyList<string> libraryPath, IReadOnlySet<string> neverVendor,
        PythonLibraryNote pythonLibrary, List<(KnownAbsentLibrary, string?)> knownAbsent, List<OperatingSystemEntry> systems)
    {
        Sources = sources;
        LibraryPath = libraryPath;
        NeverVendor = neverVendor;
        PythonLibrary = pythonLibrary;
        _knownAbsent = knownAbsent;
        _systems = systems;
    }

    public static RuntimeManifest BuiltIn => BuiltInManifest.Value;

    /// <summary>The sha256 of the manifest's text (empty for one parsed in a test): an audit's cache key changes with it.</summary>
    public string Fingerprint { get; private set; } = "";

    /// <summary>Citation text by key, for reports that show where a fact comes from.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>The runtime's LD_LIBRARY_PATH, in order: where the loader looks between DT_RPATH and DT_RUNPATH.</summary>
    public IReadOnlyList<string> LibraryPath { get; }

    /// <summary>Sonames that must never be copied into a deployment: parts of glibc.</summary>
    public IReadOnlySet<string> NeverVendor { get; }

    public PythonLibraryNote PythonLibrary { get; }

    /// <summary>Every runtime the manifest describes, oldest first: the Python runtimes LambdaSlim builds for.</summary>
    public IReadOnlyList<PythonRuntime> Runtimes => _systems.SelectMany(s => s.Runtimes).OrderBy(r => r.Major).ThenBy(r => r.Minor).ToList();

    /// <summary>The runtime of that name ("python3.12"), when the manifest describes it.</summary>
    public bool TryFind(string? name, out PythonRuntime runtime)
    {
        runtime = null!;
        if (!PythonRuntime.TryParseName(name, out var parsed) || !Describes(parsed)) return false;
        runtime = parsed;
        return true;
    }

    public bool Describes(PythonRuntime runtime) => _systems.Any(s => s.Runtimes.Any(r => SameVersion(r, runtime)));

    public RuntimeEnvironment For(PythonRuntime runtime, Architecture architecture)
    {
        var system = _systems.FirstOrDefault(s => s.Runtimes.Any(r => SameVersion(r, runtime)))
            ?? throw LambdaSlimException.Config($"the runtime manifest does not describe {runtime}", $"use one of {string.Join(", ", Runtimes)}");
        var libraries = system.Libraries.Where(l => l.Architecture is null || l.Architecture == architecture)
            .ToDictionary(l => l.Library.SoName, l => l.Library, StringComparer.Ordinal);
        var absent = _knownAbsent.Where(a => a.OperatingSystem is null || a.OperatingSystem == system.Name)
            .Where(a => !libraries.ContainsKey(a.Library.SoName))
            .ToDictionary(a => a.Library.SoName, a => a.Library, StringComparer.Ordinal);
        return new RuntimeEnvironment(runtime, architecture, system.Name, system.WheelTags, libraries, system.Versions, absent, this);
    }

    /// <summary>The oldest runtime whose limit for this prefix reaches <paramref name="needed"/>, or null when none does.</summary>
    public PythonRuntime? OldestRuntimeProviding(SymbolVersion needed) =>
        _systems.Where(s => s.Versions.Any(v => v.Prefix == needed.Prefix && !needed.IsNewerThan(v.Max)))
            .SelectMany(s => s.Runtimes).OrderBy(r => r.Major).ThenBy(r => r.Minor).FirstOrDefault();

    private static bool SameVersion(PythonRuntime a, PythonRuntime b) => a.Major == b.Major && a.Minor == b.Minor;

    private static RuntimeManifest LoadBuiltIn()
    {
        var assembly = typeof(RuntimeManifest).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(ResourceSuffix, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var manifest = Parse(text, FileName);
        manifest.Fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        return manifest;
    }

    /// <summary>Parses a manifest. <paramref name="file"/> is only used in error messages, which name the line.</summary>
    public static RuntimeManifest Parse(string yaml, string file) => new ManifestReader(file).Read(yaml);

    /// <summary>Turns the YAML into the manifest, insisting that every fact cites known sources and says whether it is confirmed.</summary>
    private sealed class ManifestReader(string file)
    {
        private IReadOnlyDictionary<string, string> _sources = new Dictionary<string, string>();

        public RuntimeManifest Read(string yaml)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(yaml));
            }
            catch (YamlException e)
            {
                throw Error(e.Start, $"not valid YAML ({(e.InnerException ?? e).Message.Split('\n')[0]})");
            }
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
                throw Error(Mark.Empty, "the manifest is a mapping with sources, never-vendor, python-lib and operating-systems");

            _sources = Map(root, "sources").Children.ToDictionary(
                kv => Scalar(kv.Key, "a source key"), kv => Scalar(kv.Value, "a source"), StringComparer.Ordinal);
            var pathNode = Map(root, "library-path");
            Fact(pathNode);
            var libraryPath = Strings(pathNode, "dirs");
            foreach (var dir in libraryPath.Where(d => !d.StartsWith('/')))
                throw Error(pathNode.Start, $"library-path: '{dir}' is not an absolute folder");
            var neverVendorNode = Map(root, "never-vendor");
            Citations(neverVendorNode);
            var neverVendor = Strings(neverVendorNode, "sonames").ToHashSet(StringComparer.Ordinal);

            var pythonNode = Map(root, "python-lib");
            var python = new PythonLibraryNote(Text(pythonNode, "soname-prefix"), Bool(pythonNode, "provided"), Fact(pythonNode));

            var absent = Sequence(root, "known-absent").Select(n => AsMap(n, "a known-absent entry"))
                .Select(m => (new KnownAbsentLibrary(Text(m, "soname"), Fact(m)), OptionalText(m, "os"))).ToList();

            var systems = Sequence(root, "operating-systems").Select(n => OperatingSystem(AsMap(n, "an operating system"))).ToList();
            var runtimes = systems.SelectMany(s => s.Runtimes).ToList();
            foreach (var duplicate in runtimes.GroupBy(r => r.Version, StringComparer.Ordinal).Where(g => g.Count() > 1))
                throw Error(root.Start, $"{duplicate.First()} is listed under more than one operating system");
            return new RuntimeManifest(_sources, libraryPath, neverVendor, python, absent, systems);
        }

        private OperatingSystemEntry OperatingSystem(YamlMappingNode node)
        {
            var name = Text(node, "name");
            Citations(node);
            var versions = Sequence(node, "versions").Select(v => AsMap(v, "a version limit")).Select(v =>
            {
                var prefix = Text(v, "prefix");
                var max = Text(v, "max");
                if (!SymbolVersion.TryParse(prefix, max, out var version)) throw Error(v.Start, $"{name}: '{max}' is not a version like 2.26");
                return new VersionLimit(version, Strings(v, "libraries"), Fact(v));
            }).ToList();
            foreach (var prefix in versions.GroupBy(v => v.Prefix).Where(g => g.Count() > 1))
                throw Error(node.Start, $"{name}: two limits for {prefix.Key}");
            var libraries = Sequence(node, "libraries").Select(l => AsMap(l, "a library")).Select(l =>
            {
                var arch = OptionalText(l, "arch");
                Architecture? architecture = arch switch
                {
                    null => null,
                    "x86_64" => Architecture.X86_64,
                    "arm64" => Architecture.Arm64,
                    _ => throw Error(l.Start, $"{name}: arch '{arch}' must be x86_64 or arm64"),
                };
                return new LibraryEntry(new ProvidedLibrary(Text(l, "soname"), OptionalText(l, "package"), Fact(l)), architecture);
            }).ToList();
            var runtimes = Strings(node, "runtimes").Select(r => PythonRuntime.TryParseName(r, out var runtime)
                ? runtime : throw Error(node.Start, $"'{r}' is not a Python Lambda runtime name")).ToList();
            return new OperatingSystemEntry(name, runtimes, Strings(node, "wheel-tags"), versions, libraries);
        }

        private ManifestFact Fact(YamlMappingNode node)
        {
            var confirmed = Bool(node, "confirmed");
            var inferred = OptionalText(node, "inferred");
            if (!confirmed && inferred is null) throw Error(node.Start, "an entry that is not confirmed must say what it is inferred from ('inferred:')");
            if (confirmed && inferred is not null) throw Error(node.Start, "a confirmed entry has no 'inferred:'");
            return new ManifestFact(confirmed, inferred, Citations(node));
        }

        private IReadOnlyList<string> Citations(YamlMappingNode node)
        {
            var sources = Strings(node, "source");
            if (sources.Count == 0) throw Error(node.Start, "every fact cites at least one source ('source: [key]')");
            foreach (var s in sources.Where(s => !_sources.ContainsKey(s)))
                throw Error(node.Start, $"source '{s}' is not under 'sources:'");
            return sources;
        }

        private YamlMappingNode Map(YamlMappingNode parent, string key) =>
            parent.Children.TryGetValue(new YamlScalarNode(key), out var node)
                ? AsMap(node, $"'{key}'")
                : throw Error(parent.Start, $"missing '{key}'");

        private YamlMappingNode AsMap(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node.Start, $"{what} must be a mapping");

        private IEnumerable<YamlNode> Sequence(YamlMappingNode parent, string key) =>
            parent.Children.TryGetValue(new YamlScalarNode(key), out var node)
                ? (node as YamlSequenceNode ?? throw Error(node.Start, $"'{key}' must be a list")).Children
                : throw Error(parent.Start, $"missing '{key}'");

        private List<string> Strings(YamlMappingNode parent, string key) =>
            Sequence(parent, key).Select(n => Scalar(n, $"each item of '{key}'")).ToList();

        private string Text(YamlMappingNode parent, string key) =>
            OptionalText(parent, key) ?? throw Error(parent.Start, $"missing '{key}'");

        private string? OptionalText(YamlMappingNode parent, string key) =>
            parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? Scalar(node, $"'{key}'") : null;

        private bool Bool(YamlMappingNode parent, string key) => Text(parent, key) switch
        {
            "true" => true,
            "false" => false,
            var other => throw Error(parent.Start, $"'{key}' is true or false, not '{other}'"),
        };

        private string Scalar(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { } v } ? v : throw Error(node.Start, $"{what} must be a single value");

        private LambdaSlimException Error(Mark mark, string what) =>
            LambdaSlimException.Config($"{file}:{(mark.Line > 0 ? mark.Line : 1)}: {what}", "fix the runtime manifest at that line");
    }
}
