namespace LambdaSlim.Audit;

/// <summary>A reason an import would fail on Lambda: what is wrong, naming the file and what it needs, and one thing to do about it.</summary>
/// <para><see cref="Needed"/> is the missing soname of a MissingLibrary finding, for --repair.</para>
public sealed record AuditFinding(string Artifact, string ArchivePath, string? Distribution, string Problem, string Fix, AuditFindingKind Kind, string? Needed = null);

public enum AuditFindingKind { WrongArchitecture, ForeignBinary, MissingLibrary, SymbolVersionTooNew, PythonAbiMismatch, WheelTagMismatch, Unreadable }
