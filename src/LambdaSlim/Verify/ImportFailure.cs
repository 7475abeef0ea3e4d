
namespace LambdaSlim.Verify;

/// <summary>A removed file that a failing import needed, and the rule that removed it.</summary>
public sealed record Blame(string Artifact, string ArchivePath, string Rule);

public sealed record ImportFailure(string Unit, string Module, string Error, IReadOnlyList<Blame> Blamed, bool BlameIsExact)
{
    public string Describe()
    {
        var rules = Blamed.GroupBy(b => b.Rule).Select(g => $"rule {g.Key} ({g.Count()} file{(g.Count() == 1 ? "" : "s")}, e.g. {g.First().ArchivePath})");
        var cause = Blamed.Count == 0 ? "no removed file explains it"
            : (BlameIsExact ? "removed by " : "probably removed by ") + string.Join("; ", rules);
        return $"import {Module} worked before pruning and fails after: {Error}; {cause}";
    }
}
