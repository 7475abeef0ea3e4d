namespace LambdaSlim.Audit;

/// <summary>What the audit of a committed build or a lone zip found, and how many zips it looked at.</summary>
public sealed record ZipAuditResult(IReadOnlyList<AuditFinding> Findings, int Zips);
