using LambdaSlim.Model;

namespace LambdaSlim.Runtimes;

/// <summary>What one runtime on one architecture is, as the manifest says: the Amazon Linux it runs on, and what it provides to packaged native code.</summary>
public sealed class RuntimeEnvironment(
    PythonRuntime runtime, Architecture architecture, string operatingSystem, IReadOnlyList<string> wheelTags,
    IReadOnlyDictionary<string, ProvidedLibrary> libraries, IReadOnlyList<VersionLimit> versionLimits,
    IReadOnlyDictionary<string, KnownAbsentLibrary> knownAbsent, RuntimeManifest manifest)
{
    public PythonRuntime Runtime { get; } = runtime;
    public Architecture Architecture { get; } = architecture;
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

    /// <summary>26 for glibc 2.26: the newest manylinux_2_X a wheel may be tagged with to load here.</summary>
    public int GlibcMinor => Glibc.Numbers.Count > 1 ? Glibc.Numbers[1] : 0;

    public override string ToString() => $"{Runtime} ({OperatingSystem}, {Architecture.ToLambdaName()})";
}
