namespace LambdaSlim.Audit;

/// <summary>A zip to audit: its name in findings ("layer Deps"), the file, and whether Lambda extracts it into /opt (a layer) or /var/task.</summary>
public sealed record AuditedZip(string Artifact, string ZipPath, bool IsLayer);
