using System.IO.Compression;

namespace LambdaSlim.Tests.Install;

/// <summary>Real, minimal py3-none-any wheels with optional Requires-Dist lines, written into a test's own wheelhouse.</summary>
internal static class PipWheels
{
    public static string Write(string dir, string name, string version, params string[] requiresDist) =>
        Write(dir, name, version, requiresPython: null, requiresDist);

    /// <summary>A wheel whose METADATA says which Pythons it supports, e.g. "&gt;=3.10".</summary>
    public static string WriteForPython(string dir, string name, string version, string requiresPython) =>
        Write(dir, name, version, requiresPython, []);

    private static string Write(string dir, string name, string version, string? requiresPython, string[] requiresDist)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{name}-{version}-py3-none-any.whl");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Add(string entry, string text)
        {
            using var w = new StreamWriter(zip.CreateEntry(entry).Open());
            w.Write(text);
        }
        var info = $"{name}-{version}.dist-info";
        Add($"{name}/__init__.py", $"__version__ = '{version}'\n");
        Add($"{info}/METADATA", $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{(requiresPython is null ? "" : $"Requires-Python: {requiresPython}\n")}{string.Concat(requiresDist.Select(r => $"Requires-Dist: {r}\n"))}");
        Add($"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        Add($"{info}/RECORD", $"{name}/__init__.py,,\n{info}/METADATA,,\n{info}/WHEEL,,\n{info}/RECORD,,\n");
        return path;
    }
}
