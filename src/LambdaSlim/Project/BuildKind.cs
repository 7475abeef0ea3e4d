namespace LambdaSlim.Project;

/// <summary>How a resource's contents are made, as `sam build` makes them.</summary>
public enum BuildKind
{
    /// <summary>pip installs requirements.txt for the Lambda platform beside the code (SAM's python_pip workflow).</summary>
    Pip,

    /// <summary>`make build-&lt;LogicalId&gt;` fills ARTIFACTS_DIR (Metadata: BuildMethod: makefile).</summary>
    Makefile,

    /// <summary>The folder ships as it is: SAM builds no layer that has no BuildMethod.</summary>
    AsIs,
}

/// <summary>
/// Where a makefile build runs, as SAM runs it: the source (CodeUri, or Metadata.ProjectRootDirectory) is copied to a
/// scratch folder, and make runs the Makefile of Metadata.ContextPath (else the source's) in ContextPath or the copy.
/// </summary>
public sealed record MakeBuild(string SourceDir, string Makefile, string? WorkingDir);
