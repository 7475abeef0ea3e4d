using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Project;

/// <summary>Reads the user's own SAM template into the functions and layers LambdaSlim builds.</summary>
public static class ProjectLoader
{
    public const string FunctionType = "AWS::Serverless::Function";
    public const string LayerType = "AWS::Serverless::LayerVersion";

    public static ProjectModel Load(string projectDir, string? templatePath = null)
    {
        projectDir = Path.GetFullPath(projectDir);
        if (!Directory.Exists(projectDir))
            throw LambdaSlimException.Input($"project folder not found: {projectDir}", "pass the folder that holds your SAM template");
        var path = Path.GetFullPath(templatePath ?? "template.yaml", projectDir);
        if (templatePath is null && !File.Exists(path) && File.Exists(Path.Combine(projectDir, "template.yml")))
            path = Path.Combine(projectDir, "template.yml");
        var template = SamTemplate.Load(path);
        var baseDir = Path.GetDirectoryName(path)!;

        var skipped = new List<SkippedResource>();
        var globals = template.GlobalsFunction;
        var functionNodes = template.ResourcesOfType(FunctionType).ToList();

        var functions = new List<FunctionSpec>();
        foreach (var (id, resource) in functionNodes)
        {
            var fn = ReadFunction(template, baseDir, globals, id, resource, out var skipReason);
            if (fn is not null) functions.Add(fn);
            else skipped.Add(new SkippedResource(id, skipReason!));
        }

        var layers = new List<LayerSpec>();
        foreach (var (id, resource) in template.ResourcesOfType(LayerType))
        {
            var users = functions.Where(f => f.Layers.Contains(new LayerRef.Local(id))).ToList();
            var layer = ReadLayer(baseDir, id, resource, users, out var skipReason);
            if (layer is not null) layers.Add(layer);
            else skipped.Add(new SkippedResource(id, skipReason!));
        }

        layers = OrderByAssumptions(layers);

        // A function that refers to a layer we do not build treats it like an ARN: present, but not ours.
        var built = layers.Select(l => l.LogicalId).ToHashSet();
        functions = functions.Select(f => f with
        {
            Layers = f.Layers.Select(r => r is LayerRef.Local l && !built.Contains(l.LogicalId) ? new LayerRef.External($"!Ref {l.LogicalId}") : r).ToList(),
        }).ToList();

        // The template's own top-level Metadata: LambdaSlim: holds project-wide defaults (SAM's Globals has no Metadata).
        var defaults = SamTemplate.Child(SamTemplate.Child(template.Root, "Metadata"), "LambdaSlim") is YamlMappingNode d ? new LambdaSlimSettings(d) : LambdaSlimSettings.None;
        return new ProjectModel(projectDir, template, layers, functions, skipped, defaults);
    }

    private static FunctionSpec? ReadFunction(SamTemplate template, string baseDir, YamlMappingNode? globals, string id, YamlMappingNode resource, out string? skipReason)
    {
        skipReason = null;
        var props = SamTemplate.Child(resource, "Properties") as YamlMappingNode;
        var settings = Settings(resource);
        YamlNode? Prop(string key) => SamTemplate.Child(props, key) ?? SamTemplate.Child(globals, key);

        if (settings.GetBool("skip")) { skipReason = "Metadata: LambdaSlim: skip: true"; return null; }
        if (SamTemplate.Scalar(Prop("PackageType")) == "Image") { skipReason = "container image function"; return null; }
        if (SamTemplate.Child(props, "InlineCode") is not null) { skipReason = "inline code"; return null; }

        var where = $"function {id}";
        var codeUri = Prop("CodeUri");
        if (codeUri is null)
            throw LambdaSlimException.Input($"{where} has no CodeUri", "set CodeUri to the folder that holds its handler, on the function or in Globals.Function");
        var codePath = SamTemplate.Scalar(codeUri);
        if (codePath is null || codePath.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            skipReason = "CodeUri is not a local folder";
            return null;
        }
        var codeDir = ExistingDir(baseDir, codePath, $"CodeUri '{codePath}' of {where}");

        var runtime = PythonRuntime.Parse(SamTemplate.Scalar(Prop("Runtime")), where);
        var handler = SamTemplate.Scalar(Prop("Handler"))
            ?? throw LambdaSlimException.Input($"{where} has no Handler", "set Handler, e.g. app.lambda_handler");
        var archs = SamTemplate.ScalarList(Prop("Architectures"));
        if (archs.Count > 1)
            throw LambdaSlimException.Config($"{where}: Architectures lists {archs.Count} values", "Lambda takes exactly one: x86_64 or arm64");
        var arch = archs.Count == 1 ? Architectures.Parse(archs[0], where) : Architecture.X86_64;

        // SAM merges list-valued globals: the Globals layers come first, then the function's own.
        var layerNodes = new List<YamlNode>();
        if (SamTemplate.Child(globals, "Layers") is YamlSequenceNode g) layerNodes.AddRange(g.Children);
        if (SamTemplate.Child(props, "Layers") is YamlSequenceNode own) layerNodes.AddRange(own.Children);
        var layers = layerNodes.Select(n => ToLayerRef(template, n)).ToList();

        return new FunctionSpec(id, codeDir, handler, runtime, arch, layers, settings);
    }

    private static LayerRef ToLayerRef(SamTemplate template, YamlNode node)
    {
        string? refTarget = node switch
        {
            YamlScalarNode s when SamTemplate.TagOf(s) == "!Ref" => s.Value,
            YamlMappingNode m when m.Children.Count == 1 && SamTemplate.Scalar(SamTemplate.Child(m, "Ref")) is { } r => r,
            _ => null,
        };
        if (refTarget is not null && template.HasResource(refTarget, LayerType)) return new LayerRef.Local(refTarget);
        return new LayerRef.External(Describe(node));
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s when SamTemplate.TagOf(s) is { } tag => $"{tag} {s.Value}",
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode seq => $"{(SamTemplate.TagOf(seq) is { } t ? t + " " : "")}[{string.Join(", ", seq.Children.Select(Describe))}]",
        YamlMappingNode m => $"{{{string.Join(", ", m.Children.Select(kv => $"{Describe(kv.Key)}: {Describe(kv.Value)}"))}}}",
        _ => node.ToString(),
    };

    private static LayerSpec? ReadLayer(string baseDir, string id, YamlMappingNode resource, IReadOnlyList<FunctionSpec> users, out string? skipReason)
    {
        skipReason = null;
        var where = $"layer {id}";
        var props = SamTemplate.Child(resource, "Properties") as YamlMappingNode;
        var metadata = SamTemplate.Child(resource, "Metadata");
        var settings = Settings(resource);
        if (settings.GetBool("skip")) { skipReason = "Metadata: LambdaSlim: skip: true"; return null; }

        var contentPath = SamTemplate.Scalar(SamTemplate.Child(props, "ContentUri"));
        if (contentPath is null || contentPath.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            skipReason = "ContentUri is not a local folder";
            return null;
        }
        var buildMethod = SamTemplate.Scalar(SamTemplate.Child(metadata, "BuildMethod"));
        if (buildMethod is not null && !buildMethod.StartsWith("python", StringComparison.Ordinal))
        {
            skipReason = $"BuildMethod '{buildMethod}' is built by SAM";
            return null;
        }
        var contentDir = ExistingDir(baseDir, contentPath, $"ContentUri '{contentPath}' of {where}");

        var compatibleRuntimes = SamTemplate.ScalarList(SamTemplate.Child(props, "CompatibleRuntimes"));
        var compatibleArchs = SamTemplate.ScalarList(SamTemplate.Child(props, "CompatibleArchitectures"));
        var runtime = ChooseRuntime(where, buildMethod, compatibleRuntimes, users);
        var arch = ChooseArchitecture(where, SamTemplate.Scalar(SamTemplate.Child(metadata, "BuildArchitecture")), compatibleArchs, users);
        var layerName = SamTemplate.Scalar(SamTemplate.Child(props, "LayerName"));
        return new LayerSpec(id, contentDir, runtime, arch, compatibleRuntimes, compatibleArchs, layerName, settings);
    }

    /// <summary>
    /// Native wheels fit one Python minor, so a layer is built for exactly one runtime:
    /// BuildMethod as SAM does, else its only compatible runtime, else what every function using it runs.
    /// </summary>
    private static PythonRuntime ChooseRuntime(string where, string? buildMethod, IReadOnlyList<string> compatible, IReadOnlyList<FunctionSpec> users)
    {
        if (buildMethod is not null) return PythonRuntime.Parse(buildMethod, $"{where} Metadata.BuildMethod");
        var python = compatible.Where(r => r.StartsWith("python", StringComparison.Ordinal)).Distinct().ToList();
        if (python.Count == 1) return PythonRuntime.Parse(python[0], $"{where} CompatibleRuntimes");
        var used = users.Select(u => u.Runtime).Distinct().ToList();
        if (used.Count == 1) return used[0];
        throw LambdaSlimException.Config(
            $"{where}: cannot tell which Python to build it for (CompatibleRuntimes: {string.Join(", ", compatible.DefaultIfEmpty("none"))})",
            "set 'Metadata: BuildMethod: python3.X' on the layer");
    }

    private static Architecture ChooseArchitecture(string where, string? buildArch, IReadOnlyList<string> compatible, IReadOnlyList<FunctionSpec> users)
    {
        if (buildArch is not null) return Architectures.Parse(buildArch, $"{where} Metadata.BuildArchitecture");
        if (compatible.Count == 1) return Architectures.Parse(compatible[0], $"{where} CompatibleArchitectures");
        var used = users.Select(u => u.Architecture).Distinct().ToList();
        if (used.Count == 1) return used[0];
        if (used.Count > 1)
            throw LambdaSlimException.Config($"{where} is used by both x86_64 and arm64 functions",
                "native wheels fit one architecture: make one layer per architecture, or set Metadata: BuildArchitecture");
        return Architecture.X86_64;
    }

    /// <summary>Layers that others assume are built first, so their distributions are known when the others are.</summary>
    private static List<LayerSpec> OrderByAssumptions(List<LayerSpec> layers)
    {
        var byId = layers.ToDictionary(l => l.LogicalId);
        foreach (var l in layers)
            foreach (var assumed in l.AssumesLayers.Where(a => !byId.ContainsKey(a)))
                throw LambdaSlimException.Config($"layer {l.LogicalId}: assumes-layers names '{assumed}', which is not a layer LambdaSlim builds in this template",
                    $"use one of: {string.Join(", ", byId.Keys)}");
        var ordered = new List<LayerSpec>();
        var state = new Dictionary<string, bool>(); // false: visiting, true: done
        void Visit(LayerSpec l)
        {
            if (state.TryGetValue(l.LogicalId, out var done))
            {
                if (!done) throw LambdaSlimException.Config($"layer {l.LogicalId}: assumes-layers forms a cycle", "a layer can assume only layers that do not assume it back");
                return;
            }
            state[l.LogicalId] = false;
            foreach (var a in l.AssumesLayers) Visit(byId[a]);
            state[l.LogicalId] = true;
            ordered.Add(l);
        }
        foreach (var l in layers) Visit(l);
        return ordered;
    }

    private static LambdaSlimSettings Settings(YamlMappingNode resource) =>
        SamTemplate.Child(SamTemplate.Child(resource, "Metadata"), "LambdaSlim") is YamlMappingNode m ? new LambdaSlimSettings(m) : LambdaSlimSettings.None;

    private static string ExistingDir(string baseDir, string relative, string what)
    {
        var full = Path.GetFullPath(relative, baseDir);
        if (Directory.Exists(full)) return full;
        if (File.Exists(full))
            throw LambdaSlimException.Input($"{what} is a file, not a folder ({full})", "point it at the folder that holds the code; LambdaSlim makes the zip");
        throw LambdaSlimException.Input($"{what} does not exist ({full})", "fix the path in the template; it is relative to the template's folder");
    }
}
