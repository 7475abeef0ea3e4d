namespace LambdaSlim.Install;

/// <summary>Where pip finds packages. Passed through to pip unchanged.</summary>
public sealed record PipOptions
{
    public string? IndexUrl { get; init; }
    public IReadOnlyList<string> ExtraIndexUrls { get; init; } = [];
    public IReadOnlyList<string> FindLinks { get; init; } = [];
    public bool NoIndex { get; init; }

    /// <summary>Extra wheel platform tags, e.g. linux_x86_64 for wheels built on a Lambda-compatible image.</summary>
    public IReadOnlyList<string> ExtraPlatforms { get; init; } = [];

    /// <summary>
    /// The interpreter whose pip runs the install; any Python 3 with pip 23+ works, whatever the target runtime. When
    /// unset, a CPython of the runtime's version is preferred (see <see cref="PipInstaller.ChoosePythonAsync"/>).
    /// </summary>
    public string? Python { get; init; }

    public IEnumerable<string> IndexArguments()
    {
        if (NoIndex) yield return "--no-index";
        if (IndexUrl is not null) { yield return "--index-url"; yield return IndexUrl; }
        foreach (var url in ExtraIndexUrls) { yield return "--extra-index-url"; yield return url; }
        // pip runs in the requirements file's folder, so a folder given relative to where lambdaslim runs is made absolute.
        foreach (var link in FindLinks) { yield return "--find-links"; yield return link.Contains("://", StringComparison.Ordinal) ? link : Path.GetFullPath(link); }
    }
}
