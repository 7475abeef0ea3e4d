using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using LambdaSlim.Model;

namespace LambdaSlim.Audit;

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
/// A symbol version such as GLIBC_2.17 or GLIBCXX_3.4.30, compared number by number so GLIBC_2.9 &lt; GLIBC_2.17.
/// Missing components count as 0 (GCC_7 equals GCC_7.0.0).
/// </summary>
public sealed record SymbolVersion(string Prefix, IReadOnlyList<int> Numbers) : IComparable<SymbolVersion>
{
    /// <summary>Parses "GLIBC_2.35"; false for names without a numeric version (GLIBC_PRIVATE, CXXABI_TM_1 parses as prefix CXXABI_TM).</summary>
    public static bool TryParse(string text, out SymbolVersion version)
    {
        version = null!;
        var underscore = text.LastIndexOf('_');
        if (underscore <= 0 || underscore == text.Length - 1) return false;
        return TryParse(text[..underscore], text[(underscore + 1)..], out version);
    }

    public static bool TryParse(string prefix, string numbers, out SymbolVersion version)
    {
        version = null!;
        var parts = numbers.Split('.');
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit) || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
                return false;
        version = new SymbolVersion(prefix, values);
        return true;
    }

    public int CompareTo(SymbolVersion? other)
    {
        if (other is null) return 1;
        for (var i = 0; i < Math.Max(Numbers.Count, other.Numbers.Count); i++)
        {
            var c = (i < Numbers.Count ? Numbers[i] : 0).CompareTo(i < other.Numbers.Count ? other.Numbers[i] : 0);
            if (c != 0) return c;
        }
        return 0;
    }

    public bool IsNewerThan(SymbolVersion other) => CompareTo(other) > 0;

    public string Number => string.Join('.', Numbers);

    public override string ToString() => $"{Prefix}_{Number}";
}

/// <summary>What one runtime on one architecture provides to packaged native code.</summary>
public sealed class RuntimeEnvironment(
    string runtime, string architecture, string operatingSystem, IReadOnlyList<string> wheelTags,
    IReadOnlyDictionary<string, ProvidedLibrary> libraries, IReadOnlyList<VersionLimit> versionLimits,
    IReadOnlyDictionary<string, KnownAbsentLibrary> knownAbsent, RuntimeManifest manifest)
{
    public string Runtime { get; } = runtime;
    public string Architecture { get; } = architecture;
    public string OperatingSystem { get; } = operatingSystem;

    /// <summary>Manylinux tags (without the architecture) that load here, the newest first: what a fix suggests.</summary>
    public IReadOnlyList<string> WheelTags { get; } = wheelTags;

    public IReadOnlyDictionary<string, ProvidedLibrary> Libraries { get; } = libraries;
    public IReadOnlyList<VersionLimit> VersionLimits { get; } = versionLimits;
    public IReadOnlyDictionary<string, KnownAbsentLibrary> KnownAbsent { get; } = knownAbsent;
    public RuntimeManifest Manifest { get; } = manifest;

    public bool Provides(string soname) => Libraries.ContainsKey(soname);

    public SymbolVersion? MaxVersion(string prefix) => VersionLimits.FirstOrDefault(v => v.Prefix == prefix)?.Max;

    /// <summary>The limit that applies to a version needed from one library: GLIBC_ from libm.so.6, GLIBCXX_ from libstdc++.so.6.</summary>
    public VersionLimit? LimitFor(string library, string prefix) =>
        VersionLimits.FirstOrDefault(v => v.Prefix == prefix && v.Libraries.Contains(library, StringComparer.Ordinal));

    public bool IsNeverVendored(string soname) => Manifest.NeverVendor.Contains(soname);

    public bool IsPythonLibrary(string soname) => soname.StartsWith(Manifest.PythonLibrary.SoNamePrefix, StringComparison.Ordinal) && !Manifest.PythonLibrary.Provided;

    /// <summary>The glibc version manylinux tags are named after (2.26 for "manylinux_2_26").</summary>
    public SymbolVersion Glibc => MaxVersion("GLIBC") ?? throw new InvalidOperationException($"the manifest gives {Runtime} no GLIBC limit");

    public override string ToString() => $"{Runtime} ({OperatingSystem}, {Architecture})";
}

/// <summary>
/// The Lambda runtime manifest (src/LambdaSlim/Audit/Manifests/lambda-runtimes.yaml): facts about each runtime kept
/// as data with their sources, so correcting a version is an edit to one line of YAML with its citation.
/// </summary>
public sealed class RuntimeManifest
{
    private const string ResourceSuffix = ".Audit.Manifests.lambda-runtimes.yaml";
    private const string FileName = "src/LambdaSlim/Audit/Manifests/lambda-runtimes.yaml";
    private static readonly Lazy<RuntimeManifest> BuiltInManifest = new(LoadBuiltIn);

    private readonly List<OperatingSystemEntry> _systems;
    private readonly List<(KnownAbsentLibrary Library, string? OperatingSystem)> _knownAbsent;

    private sealed record LibraryEntry(ProvidedLibrary Library, string? Architecture);
    private sealed record OperatingSystemEntry(string Name, IReadOnlyList<string> Runtimes, IReadOnlyList<string> WheelTags,
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

    /// <summary>Citation text by key, for reports that show where a fact comes from.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>The runtime's LD_LIBRARY_PATH, in order: where the loader looks between DT_RPATH and DT_RUNPATH.</summary>
    public IReadOnlyList<string> LibraryPath { get; }

    /// <summary>Sonames that must never be copied into a deployment: parts of glibc.</summary>
    public IReadOnlySet<string> NeverVendor { get; }

    public PythonLibraryNote PythonLibrary { get; }

    /// <summary>Every runtime the manifest describes, oldest first.</summary>
    public IReadOnlyList<string> Runtimes => _systems.SelectMany(s => s.Runtimes).OrderBy(MinorOf).ToList();

    public RuntimeEnvironment For(string runtime, string architecture)
    {
        var arch = Architectures.Parse(architecture, "audit").ToLambdaName();
        var system = _systems.FirstOrDefault(s => s.Runtimes.Contains(runtime, StringComparer.Ordinal))
            ?? throw LambdaSlimException.Config($"the runtime manifest does not describe {runtime}", $"use one of {string.Join(", ", Runtimes)}");
        var libraries = system.Libraries.Where(l => l.Architecture is null || l.Architecture == arch)
            .ToDictionary(l => l.Library.SoName, l => l.Library, StringComparer.Ordinal);
        var absent = _knownAbsent.Where(a => a.OperatingSystem is null || a.OperatingSystem == system.Name)
            .Where(a => !libraries.ContainsKey(a.Library.SoName))
            .ToDictionary(a => a.Library.SoName, a => a.Library, StringComparer.Ordinal);
        return new RuntimeEnvironment(runtime, arch, system.Name, system.WheelTags, libraries, system.Versions, absent, this);
    }

    /// <summary>The oldest runtime whose limit for this prefix reaches <paramref name="needed"/>, or null when none does.</summary>
    public string? OldestRuntimeProviding(SymbolVersion needed) =>
        _systems.Where(s => s.Versions.Any(v => v.Prefix == needed.Prefix && !needed.IsNewerThan(v.Max)))
            .SelectMany(s => s.Runtimes).OrderBy(MinorOf).FirstOrDefault();

    private static int MinorOf(string runtime) =>
        PythonRuntime.TryParse(runtime, out var r) ? r.Minor : int.MaxValue;

    private static RuntimeManifest LoadBuiltIn()
    {
        var assembly = typeof(RuntimeManifest).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(ResourceSuffix, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), FileName);
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
            foreach (var duplicate in runtimes.GroupBy(r => r, StringComparer.Ordinal).Where(g => g.Count() > 1))
                throw Error(root.Start, $"{duplicate.Key} is listed under more than one operating system");
            foreach (var r in runtimes.Where(r => !PythonRuntime.TryParse(r, out _)))
                throw Error(root.Start, $"'{r}' is not a Python Lambda runtime name");
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
                if (arch is not (null or "x86_64" or "arm64")) throw Error(l.Start, $"{name}: arch '{arch}' must be x86_64 or arm64");
                return new LibraryEntry(new ProvidedLibrary(Text(l, "soname"), OptionalText(l, "package"), Fact(l)), arch);
            }).ToList();
            return new OperatingSystemEntry(name, Strings(node, "runtimes"), Strings(node, "wheel-tags"), versions, libraries);
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
