namespace LambdaSlim.Audit;

/// <summary>What one audit of the build's groups found (all of it once, and per group by name), and what it looked at.</summary>
public sealed record AuditOutcome(IReadOnlyList<AuditFinding> Findings, AuditTally Tally, IReadOnlyDictionary<string, IReadOnlyList<AuditFinding>> ByGroup)
{
    /// <summary>The one line the audit's step ends with.</summary>
    public string Summary
    {
        get
        {
            var inFiles = Findings.Select(f => (f.Artifact, f.ArchivePath)).Distinct().Count();
            return Findings.Count == 0
                ? $"audit: no findings; {Tally.Describe()}"
                : $"audit: {Findings.Count} finding{(Findings.Count == 1 ? "" : "s")} in {inFiles} file{(inFiles == 1 ? "" : "s")}; {Tally.Describe()}";
        }
    }
}
