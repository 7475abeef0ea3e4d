using LambdaSlim.Aws;
using LambdaSlim.IO;
using LambdaSlim.Validate;

namespace LambdaSlim.Pipeline;

public enum BuildScope { All, LayersOnly, FunctionsOnly }

public sealed record BuildRequest
{
    public required string ProjectDir { get; init; }
    public string? TemplatePath { get; init; }
    public BuildScope Scope { get; init; } = BuildScope.All;

    /// <summary>Only these layers (by logical ID, LayerName or folder), or all when empty.</summary>
    public IReadOnlyList<string> LayerNames { get; init; } = [];
    public bool Clean { get; init; }

    /// <summary>Redo every stage: no artifact, audit or verification is reused from the last build (--no-cache; --clean implies it).</summary>
    public bool NoCache { get; init; }

    /// <summary>The shared cache (--cache DIR or s3://bucket/prefix); else $LAMBDASLIM_CACHE, else the template's cache:, else none.</summary>
    public string? Cache { get; init; }
    public bool SkipValidation { get; init; }

    /// <summary>Import verification (part of validation); off for commands that only package.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>False for `layers validate`: verify what a build would make, write nothing.</summary>
    public bool WriteArtifacts { get; init; } = true;

    /// <summary>Native-binary audit findings fail the build (Error), are reported (Warn), or the audit is skipped (Off).</summary>
    public AuditMode Audit { get; init; } = AuditMode.Error;

    /// <summary>Where measured sizes of layers given by ARN are cached.</summary>
    public string? ExternalLayerCache { get; init; }

    /// <summary>How layers given by ARN are looked up (--profile, --endpoint-url; the region is each ARN's), as deploy talks to AWS.</summary>
    public AwsOptions Aws { get; init; } = AwsOptions.Default;

    /// <summary>Where the AWS settings come from (the process's environment by default; tests give their own).</summary>
    public Func<string, string?> AwsEnvironment { get; init; } = System.Environment.GetEnvironmentVariable;
    public bool SkipExternalLayers { get; init; }

    /// <summary>Put back files that a failing import needed, and verify again.</summary>
    public bool Repair { get; init; }
    public BuildSettings Settings { get; init; } = new();
}
