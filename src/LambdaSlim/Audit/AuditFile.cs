namespace LambdaSlim.Audit;

/// <summary>
/// One file of a deployment: the artifact (function or layer) it ships in, its path in that zip, and its bytes on disk.
/// <see cref="UserFile"/> is set when the file is the user's own (from a CodeUri or ContentUri, not from pip), so the
/// advice names that folder rather than a wheel.
/// </summary>
public sealed record AuditFile(string Artifact, string ArchivePath, string SourcePath, string? Distribution, UserFile? UserFile = null);

/// <summary>A file of the user's own folder: its path from the project ("fn/vendor/_speedups.so") and the folder it came from ("CodeUri (fn/)").</summary>
public sealed record UserFile(string ProjectPath, string Folder);
