using LambdaSlim.Model;

namespace LambdaSlim.Project;

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

    /// <summary>
    /// The function's environment variables as the template gives them (Globals.Function's, then its own), for runs of
    /// the handler at build time (verification, prune: traced, coldstart), resolved as `sam local` resolves them; a
    /// variable whose value can't be known at build time is left out.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

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
