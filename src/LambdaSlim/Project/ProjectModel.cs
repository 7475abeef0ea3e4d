using YamlDotNet.RepresentationModel;
using LambdaSlim.Model;

namespace LambdaSlim.Project;

/// <summary>A layer a function uses: one built from this template, or one given by ARN that is left as it is.</summary>
public abstract record LayerRef
{
    public sealed record Local(string LogicalId) : LayerRef
    {
        public override string ToString() => LogicalId;
    }

    /// <summary>An ARN, or an intrinsic such as !Sub or !ImportValue we cannot resolve at build time.</summary>
    public sealed record External(string Display) : LayerRef
    {
        public override string ToString() => Display;
    }
}

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

public sealed record LayerSpec(
    string LogicalId,
    string ContentDir,
    PythonRuntime Runtime,
    Architecture Architecture,
    IReadOnlyList<string> CompatibleRuntimes,
    IReadOnlyList<string> CompatibleArchitectures,
    string? LayerName,
    LambdaSlimSettings Settings)
{
    public string RequirementsFile => Path.Combine(ContentDir, "requirements.txt");

    public BuildKind Build { get; init; } = BuildKind.Pip;
    public MakeBuild? Make { get; init; }

    /// <summary>
    /// Layers this one is always deployed with (<c>Metadata: LambdaSlim: assumes-layers:</c>): distributions they
    /// provide are left out of this layer instead of being shipped, and counted, twice.
    /// </summary>
    public IReadOnlyList<string> AssumesLayers => Settings.GetList("assumes-layers");

    /// <summary>A ContentUri that already holds python/ keeps that layout; otherwise its files go under python/.</summary>
    public bool HasOwnPythonFolder => Directory.Exists(Path.Combine(ContentDir, "python"));

    public bool Matches(string name) =>
        string.Equals(name, LogicalId, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, LayerName, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, Path.GetFileName(ContentDir.TrimEnd('/', '\\')), StringComparison.OrdinalIgnoreCase);
}

public sealed record FunctionSpec(
    string LogicalId,
    string CodeDir,
    string Handler,
    PythonRuntime Runtime,
    Architecture Architecture,
    IReadOnlyList<LayerRef> Layers,
    LambdaSlimSettings Settings)
{
    public string RequirementsFile => Path.Combine(CodeDir, "requirements.txt");

    public BuildKind Build { get; init; } = BuildKind.Pip;
    public MakeBuild? Make { get; init; }

    /// <summary>The module Lambda imports: "app.lambda_handler" → "app", "pkg/mod.handler" → "pkg.mod".</summary>
    public string HandlerModule
    {
        get
        {
            var dot = Handler.LastIndexOf('.');
            var module = dot > 0 ? Handler[..dot] : Handler;
            return module.Replace('/', '.');
        }
    }

    /// <summary>The attribute Lambda calls in that module: "app.lambda_handler" → "lambda_handler".</summary>
    public string HandlerFunction => Handler[(Handler.LastIndexOf('.') + 1)..];
}

/// <summary>A function LambdaSlim leaves to SAM, and why (container image, inline code, S3 code, skip: true).</summary>
public sealed record SkippedResource(string LogicalId, string Reason, bool NeedsSamBuild = false);

public sealed record ProjectModel(
    string ProjectDir,
    SamTemplate Template,
    IReadOnlyList<LayerSpec> Layers,
    IReadOnlyList<FunctionSpec> Functions,
    IReadOnlyList<SkippedResource> Skipped,
    LambdaSlimSettings Defaults)
{
    public LayerSpec Layer(string logicalId) => Layers.Single(l => l.LogicalId == logicalId);

    /// <summary>The layers a name picks out; an unknown name is an input error (the CLI reports it as usage, exit 2).</summary>
    public IReadOnlyList<LayerSpec> SelectLayers(string nameOrAll)
    {
        if (string.Equals(nameOrAll, "all", StringComparison.OrdinalIgnoreCase)) return Layers;
        var match = Layers.Where(l => l.Matches(nameOrAll)).ToList();
        if (match.Count == 0)
            throw LambdaSlimException.Input($"no layer named '{nameOrAll}' in {Template.Path}",
                $"use one of: {string.Join(", ", Layers.Select(l => l.LogicalId))}, or 'all'");
        return match;
    }
}
