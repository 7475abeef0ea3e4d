using LambdaSlim.Model;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Audit;

/// <summary>
/// Proves, without running anything, that every native binary of a deployment will load on a Lambda runtime:
/// right platform and architecture, every DT_NEEDED library found where the loader will look, no symbol version
/// newer than the runtime's glibc and C++ runtime, extension modules for the runtime's Python, wheels tagged for it.
/// </summary>
public static class BinaryAudit
{
    /// <summary>
    /// Audits a function and its layers. Layer files are extracted into /opt in the order their artifacts first
    /// appear in <paramref name="files"/> (a later layer overwrites an earlier one's files); the files of
    /// <paramref name="functionArtifact"/> go to /var/task. Either part may be empty: a layer can be audited alone.
    /// </summary>
    public static IReadOnlyList<AuditFinding> Run(IReadOnlyList<AuditFile> files, PythonRuntime runtime, Architecture architecture, string? functionArtifact = null, AuditTally? tally = null)
    {
        var environment = RuntimeManifest.BuiltIn.For(runtime, architecture);
        var deployment = new LambdaFileSystem(files, functionArtifact);
        var context = new AuditContext(runtime, environment, deployment);

        var findings = new List<AuditFinding>();
        foreach (var file in deployment.Visible)
            findings.AddRange(NativeFileAudit.Check(context, file, tally));
        findings.AddRange(WheelTagAudit.Check(context, findings));
        return findings
            .OrderBy(f => deployment.ArtifactOrder(f.Artifact))
            .ThenBy(f => f.ArchivePath, StringComparer.Ordinal)
            .ThenBy(f => f.Kind)
            .ThenBy(f => f.Problem, StringComparer.Ordinal)
            .ToList();
    }
}
