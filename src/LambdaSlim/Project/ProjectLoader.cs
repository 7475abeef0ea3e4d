using YamlDotNet.RepresentationModel;
using LambdaSlim.Model;
using System.Text.RegularExpressions;
using LambdaSlim.Runtimes;

namespace LambdaSlim.Project;

/// <summary>Reads the user's own SAM template into the functions and layers LambdaSlim builds.</summary>
public static partial class ProjectLoader
{
    public const string FunctionType = "AWS::Serverless::Function";
    public const string LayerType = "AWS::Serverless::LayerVersion";

    /// <summary>Plain CloudFormation functions and layers with a local Code/Content path: `sam build` builds them too.</summary>
    public const string PlainFunctionType = "AWS::Lambda::Function";
    public const string PlainLayerType = "AWS::Lambda::LayerVersion";

    public static bool IsLayerType(string? type) => type is LayerType or PlainLayerType;

    public static ProjectModel Load(string projectDir, string? templatePath = null)
    {
        projectDir = Path.GetFullPath(projectDir);
        if (!Directory.Exists(projectDir))
            throw LambdaSlimException.Input($"project folder not found: {projectDir}", "pass the folder that holds your SAM template");
        // -t is a path as the user typed it, relative to the current folder (as `sam build -t`); the default lives in the project.
        var path = templatePath is null ? Path.Combine(projectDir, "template.yaml") : Path.GetFullPath(templatePath);
        if (templatePath is null && !File.Exists(path) && File.Exists(Path.Combine(projectDir, "template.yml")))
            path = Path.Combine(projectDir, "template.yml");
        if (templatePath is not null && !File.Exists(path) && File.Exists(Path.Combine(projectDir, templatePath)))
            throw LambdaSlimException.Input($"template not found: {path}",
                $"-t is a path from the current folder, as in 'sam build -t': pass -t {Path.Combine(projectDir, templatePath)}");
        var template = SamTemplate.Load(path);
        var baseDir = Path.GetDirectoryName(path)!;
        CheckLogicalIds(template);

        // The template's own top-level Metadata: LambdaSlim: holds project-wide defaults (SAM's Globals has no Metadata).
        var defaults = ReadSettings(template.Root, $"{Path.GetFileName(path)} (top level)", SettingScope.Template);
        var skipped = new List<SkippedResource>();
        var globals = template.GlobalsFunction;

        var functions = new List<FunctionSpec>();
        foreach (var (id, resource) in template.ResourcesOfType(FunctionType).Concat(template.ResourcesOfType(PlainFunctionType)))
        {
            var fn = ReadFunction(template, baseDir, globals, id, resource, out var skip);
            if (fn is not null) functions.Add(fn);
            else skipped.Add(skip!);
        }

        var layers = new List<LayerSpec>();
        foreach (var (id, resource) in template.ResourcesOfType(LayerType).Concat(template.ResourcesOfType(PlainLayerType)))
        {
            var users = functions.Where(f => f.Layers.Contains(new LayerRef.Local(id))).ToList();
            var layer = ReadLayer(template, baseDir, id, resource, users, defaults, out var skip);
            if (layer is not null) layers.Add(layer);
            else skipped.Add(skip!);
        }

        layers = OrderByAssumptions(layers);

        // A function that refers to a layer we do not build treats it like an ARN: present, but not ours.
        var built = layers.Select(l => l.LogicalId).ToHashSet();
        functions = functions.Select(f => f with
        {
            Layers = f.Layers.Select(r => r is LayerRef.Local l && !built.Contains(l.LogicalId) ? new LayerRef.External($"!Ref {l.LogicalId}") : r).ToList(),
        }).ToList();

        return new ProjectModel(projectDir, template, layers, functions, skipped, defaults);
    }

    private static FunctionSpec? ReadFunction(SamTemplate template, string baseDir, YamlMappingNode? globals, string id, YamlMappingNode resource, out SkippedResource? skip)
    {
        skip = null;
        var where = $"function {id}";
        var plain = SamTemplate.Scalar(SamTemplate.Child(resource, "Type")) == PlainFunctionType;
        if (plain) globals = null; // SAM's Globals apply to AWS::Serverless::Function only
        var codeProperty = plain ? "Code" : "CodeUri";
        var props = SamTemplate.Child(resource, "Properties") as YamlMappingNode;
        var metadata = SamTemplate.Child(resource, "Metadata");
        var settings = ReadSettings(resource, where, SettingScope.Function);
        YamlNode? Prop(string key) => SamTemplate.Child(props, key) ?? SamTemplate.Child(globals, key);
        SkippedResource Skip(string reason, bool needsSamBuild = false) => new(id, reason, needsSamBuild);

        if (settings.GetBool("skip")) { skip = Skip("Metadata: LambdaSlim: skip: true", HasLocalPath(template, Prop(codeProperty))); return null; }
        if (IsTrue(template.Resolve(SamTemplate.Child(metadata, "SkipBuild")))) { skip = Skip("Metadata: SkipBuild: True, so it ships as it is, as with sam build"); return null; }
        if (template.Resolve(Prop("PackageType")) == "Image")
        {
            skip = Skip("container image function", SamTemplate.Child(metadata, "Dockerfile") is not null || SamTemplate.Child(metadata, "DockerContext") is not null);
            return null;
        }
        if (SamTemplate.Child(props, "InlineCode") is not null) { skip = Skip("inline code"); return null; }

        var codeUri = Prop(codeProperty);
        if (codeUri is null)
        {
            if (plain) { skip = Skip("Code is not a local folder"); return null; }
            throw LambdaSlimException.Input($"{where} has no CodeUri", "set CodeUri to the folder that holds its handler, on the function or in Globals.Function");
        }
        var codePath = template.Resolve(codeUri);
        if (codePath is null || codePath.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || codePath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            skip = Skip(codePath is null && SamTemplate.IntrinsicName(codeUri) is not null
                ? $"{codeProperty} is {template.DescribeIntrinsic(codeUri)}, which LambdaSlim cannot resolve to a local folder"
                : $"{codeProperty} is not a local folder");
            return null;
        }

        var runtimeName = settings.GetString("runtime") ?? Literal(template, Prop("Runtime"), where, "Runtime", ExitCode.ConfigError,
            "write it as a literal (e.g. Runtime: python3.12), or set 'Metadata: LambdaSlim: runtime: python3.12' on the function");
        if (runtimeName is null)
            throw LambdaSlimException.Config($"{where} has no Runtime", "set Runtime (e.g. python3.12) on the function or in Globals.Function");
        // Node, Java, Go and custom runtimes are SAM's to build: leave them, and say that they still need sam build.
        if (!runtimeName.StartsWith("python", StringComparison.Ordinal)) { skip = Skip($"runtime {runtimeName} is not Python", needsSamBuild: true); return null; }
        var buildMethod = Literal(template, SamTemplate.Child(metadata, "BuildMethod"), where, "Metadata.BuildMethod", ExitCode.ConfigError,
            "write it as a literal, e.g. BuildMethod: makefile");
        if (buildMethod is not null && buildMethod != MakefileMethod && !buildMethod.StartsWith("python", StringComparison.Ordinal))
        {
            skip = Skip($"BuildMethod '{buildMethod}' is built by SAM", needsSamBuild: true);
            return null;
        }

        var codeDir = ExistingDir(baseDir, codePath, $"{codeProperty} '{codePath}' of {where}");
        if (!HasAnyFile(codeDir))
            throw LambdaSlimException.Input($"{codeProperty} '{codePath}' of {where} is an empty folder ({codeDir})",
                "Lambda needs the handler's file there: point it at the folder that holds it");
        var runtime = PythonRuntimes.Parse(runtimeName, where);
        var handler = settings.GetString("handler") ?? Literal(template, Prop("Handler"), where, "Handler", ExitCode.InputError,
            "write it as a literal (e.g. Handler: app.lambda_handler), or set 'Metadata: LambdaSlim: handler: app.lambda_handler' on the function")
            ?? throw LambdaSlimException.Input($"{where} has no Handler", "set Handler, e.g. app.lambda_handler");
        var dot = handler.LastIndexOf('.');
        if (dot <= 0 || dot == handler.Length - 1)
            throw LambdaSlimException.Input($"{where}: Handler '{handler}' is not module.function", "Lambda needs the module and the function, e.g. app.lambda_handler");
        var arch = ReadArchitecture(template, Prop("Architectures"), where);
        var layers = ReadLayers(template, globals, props, where);
        return new FunctionSpec(id, codeDir, handler, runtime, arch, layers, settings)
        {
            Build = buildMethod == MakefileMethod ? BuildKind.Makefile : BuildKind.Pip,
            Make = buildMethod == MakefileMethod ? ReadMake(template, baseDir, codeDir, metadata, where) : null,
            Variables = ReadVariables(template, globals, props),
        };
    }

    /// <summary>SAM merges map-valued globals: Globals.Function.Environment.Variables, then the function's own over them.</summary>
    private static Dictionary<string, string> ReadVariables(SamTemplate template, YamlMappingNode? globals, YamlMappingNode? props)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { globals, props })
        {
            if (SamTemplate.Child(SamTemplate.Child(source, "Environment"), "Variables") is not YamlMappingNode map) continue;
            foreach (var (key, value) in map.Children)
                if (SamTemplate.Scalar(key) is { } name && VariableValue(template, value) is { } known) variables[name] = known;
        }
        return variables;
    }

    /// <summary>
    /// A variable's value as far as it can be known at build time, resolved as `sam local` resolves it: a literal, a
    /// parameter's Default, a resource's !Ref as its logical ID, !GetAtt as "Resource.Attribute", !Sub with each
    /// ${X} as X's Default or X, !If as its first branch that resolves. Null (the variable is left unset) for anything else.
    /// </summary>
    private static string? VariableValue(SamTemplate template, YamlNode node)
    {
        if (template.Resolve(node) is { } known) return known;
        // The long form {Fn::X: args} holds its arguments under the one key; the short form !X is tagged on them.
        var args = node is YamlMappingNode { Children.Count: 1 } m ? m.Children.Values.First() : node;
        return SamTemplate.IntrinsicName(node) switch
        {
            "!Ref" or "Ref" => SamTemplate.RefTarget(node),
            "!If" or "Fn::If" => args is YamlSequenceNode { Children.Count: 3 } branches
                ? VariableValue(template, branches.Children[1]) ?? VariableValue(template, branches.Children[2]) : null,
            "!Sub" or "Fn::Sub" => (args is YamlSequenceNode { Children.Count: > 0 } withMap ? withMap.Children[0] : args) is YamlScalarNode text
                ? SubReference().Replace(text.Value ?? "", r => ParameterDefault(template, r.Groups[1].Value) ?? r.Groups[1].Value) : null,
            "!GetAtt" or "Fn::GetAtt" => args switch
            {
                YamlScalarNode dotted => dotted.Value,
                YamlSequenceNode parts => string.Join('.', parts.Children.Select(SamTemplate.Scalar)),
                _ => null,
            },
            _ => null,
        };
    }

    private static string? ParameterDefault(SamTemplate template, string name) =>
        SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(SamTemplate.Child(template.Root, "Parameters"), name), "Default"));

    [GeneratedRegex(@"\$\{([^}!][^}]*)\}")]
    private static partial Regex SubReference();

    private const string MakefileMethod = "makefile";

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a code property names a folder on this machine (which SAM would build and upload).</summary>
    private static bool HasLocalPath(SamTemplate template, YamlNode? node) =>
        template.Resolve(node) is { } path && !path.Contains("://", StringComparison.Ordinal) && !path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where make runs, as SAM decides it: ProjectRootDirectory is copied, ContextPath holds the Makefile and is where make runs.</summary>
    private static MakeBuild ReadMake(SamTemplate template, string baseDir, string codeDir, YamlNode? metadata, string where)
    {
        string? Dir(string key) => Literal(template, SamTemplate.Child(metadata, key), where, $"Metadata.{key}", ExitCode.InputError, "write it as a literal path")
            is { } p ? ExistingDir(baseDir, p, $"Metadata.{key} of {where}") : null;
        var source = Dir("ProjectRootDirectory") ?? codeDir;
        var context = Dir("ContextPath");
        var makefile = Path.Combine(context ?? codeDir, "Makefile");
        if (!File.Exists(makefile))
            throw LambdaSlimException.Input($"{where} has BuildMethod: makefile but there is no {makefile}",
                "add a Makefile with a build-<LogicalId> target, or set Metadata.ContextPath to the folder that holds it");
        return new MakeBuild(source, makefile, context);
    }

    /// <summary>A property LambdaSlim must know at build time: a literal, or a !Ref to a parameter with a Default.</summary>
    private static string? Literal(SamTemplate template, YamlNode? node, string where, string property, ExitCode code, string hint)
    {
        if (node is null) return null;
        if (template.Resolve(node) is { } value) return value;
        var what = SamTemplate.IntrinsicName(node) is not null
            ? $"{where}: {property} is {template.DescribeIntrinsic(node)}, an intrinsic function LambdaSlim cannot resolve at build time"
            : $"{where}: {property} is not a single value";
        throw new LambdaSlimException(code, what, hint);
    }

    private static Architecture ReadArchitecture(SamTemplate template, YamlNode? node, string where)
    {
        const string Hint = "write Architectures: [x86_64] or [arm64] as a literal";
        if (node is null) return Architecture.X86_64;
        if (node is not YamlSequenceNode seq || SamTemplate.TagOf(seq) is not null)
            return Architectures.Parse(Literal(template, node, where, "Architectures", ExitCode.ConfigError, Hint)!, where);
        if (seq.Children.Count > 1)
            throw LambdaSlimException.Config($"{where}: Architectures lists {seq.Children.Count} values", "Lambda takes exactly one: x86_64 or arm64");
        return seq.Children.Count == 0 ? Architecture.X86_64
            : Architectures.Parse(Literal(template, seq.Children[0], where, "Architectures", ExitCode.ConfigError, Hint)!, where);
    }

    /// <summary>SAM merges list-valued globals: the Globals layers come first, then the function's own.</summary>
    private static List<LayerRef> ReadLayers(SamTemplate template, YamlMappingNode? globals, YamlMappingNode? props, string where)
    {
        var layerNodes = new List<YamlNode>();
        var unresolved = new List<LayerRef>();
        foreach (var (node, place) in new[] { (SamTemplate.Child(globals, "Layers"), "Globals.Function.Layers"), (SamTemplate.Child(props, "Layers"), "Layers") })
        {
            if (node is null) continue;
            if (node is YamlSequenceNode seq && SamTemplate.TagOf(seq) is null) { layerNodes.AddRange(seq.Children); continue; }
            // A list parameter, or an intrinsic that can give a list (!If, !Split, ...), is valid CloudFormation:
            // kept as one layer LambdaSlim cannot see into, so the function's total is reported as a lower bound.
            if (MayBeList(template, node)) { unresolved.Add(new LayerRef.External(Describe(node))); continue; }
            throw LambdaSlimException.Input(
                $"{where}: {place} must be a list{(SamTemplate.IntrinsicName(node) is not null ? $", not {template.DescribeIntrinsic(node)}" : "")}",
                "write it as a list, e.g. Layers: [!Ref MyLayer] or Layers: [arn:aws:lambda:...]");
        }
        var layers = new List<LayerRef>();
        foreach (var node in layerNodes)
        {
            var layer = ToLayerRef(template, node, where);
            if (layers.Contains(layer))
                throw LambdaSlimException.Input($"{where} lists layer {layer} twice (Globals.Function.Layers comes before the function's own Layers)",
                    $"Lambda rejects a function that lists layer {layer} twice: list it once");
            layers.Add(layer);
        }
        return [.. layers, .. unresolved];
    }

    /// <summary>
    /// A non-list Layers value CloudFormation would still accept: a Ref to a List or CommaDelimitedList parameter,
    /// or an intrinsic that can return a list. A plain string, a Ref to a resource, !Sub and !Join give one string.
    /// </summary>
    private static bool MayBeList(SamTemplate template, YamlNode node)
    {
        if (SamTemplate.RefTarget(node) is { } target)
        {
            var type = SamTemplate.Scalar(SamTemplate.Child(SamTemplate.Child(SamTemplate.Child(template.Root, "Parameters"), target), "Type")) ?? "";
            return type == "CommaDelimitedList" || type.StartsWith("List<", StringComparison.Ordinal);
        }
        return SamTemplate.IntrinsicName(node) is { } name && name is not ("!Sub" or "Fn::Sub" or "!Join" or "Fn::Join");
    }

    private static LayerRef ToLayerRef(SamTemplate template, YamlNode node, string where)
    {
        if (SamTemplate.RefTarget(node) is { } target)
        {
            if (template.HasResource(target, LayerType) || template.HasResource(target, PlainLayerType)) return new LayerRef.Local(target);
            if (!template.HasResource(target) && !template.HasParameter(target) && !target.StartsWith("AWS::", StringComparison.Ordinal))
                throw LambdaSlimException.Input($"{where}: Layers refers to '{target}', which is neither a resource nor a parameter of the template",
                    "fix the name in !Ref, or give the layer's ARN");
        }
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

    private static LayerSpec? ReadLayer(SamTemplate template, string baseDir, string id, YamlMappingNode resource, IReadOnlyList<FunctionSpec> users,
        LambdaSlimSettings defaults, out SkippedResource? skip)
    {
        skip = null;
        var where = $"layer {id}";
        var plain = SamTemplate.Scalar(SamTemplate.Child(resource, "Type")) == PlainLayerType;
        var contentProperty = plain ? "Content" : "ContentUri";
        var props = SamTemplate.Child(resource, "Properties") as YamlMappingNode;
        var metadata = SamTemplate.Child(resource, "Metadata");
        var settings = ReadSettings(resource, where, SettingScope.Layer);
        var contentUri = SamTemplate.Child(props, contentProperty);
        if (settings.GetBool("skip")) { skip = new(id, "Metadata: LambdaSlim: skip: true", HasLocalPath(template, contentUri)); return null; }

        var contentPath = template.Resolve(contentUri);
        if (contentPath is null || contentPath.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || contentPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            skip = new(id, contentPath is null && contentUri is not null && SamTemplate.IntrinsicName(contentUri) is not null
                ? $"{contentProperty} is {template.DescribeIntrinsic(contentUri)}, which LambdaSlim cannot resolve to a local folder"
                : $"{contentProperty} is not a local folder");
            return null;
        }
        var buildMethod = Literal(template, SamTemplate.Child(metadata, "BuildMethod"), where, "Metadata.BuildMethod", ExitCode.ConfigError,
            "write it as a literal, e.g. BuildMethod: python3.12");
        if (buildMethod is not null && buildMethod != MakefileMethod && !buildMethod.StartsWith("python", StringComparison.Ordinal))
        {
            skip = new(id, $"BuildMethod '{buildMethod}' is built by SAM", NeedsSamBuild: true);
            return null;
        }
        var contentDir = ExistingDir(baseDir, contentPath, $"{contentProperty} '{contentPath}' of {where}");

        var compatibleRuntimes = ResolvedList(template, SamTemplate.Child(props, "CompatibleRuntimes"));
        var compatibleArchs = ResolvedList(template, SamTemplate.Child(props, "CompatibleArchitectures"));
        var runtime = ChooseRuntime(where, buildMethod is MakefileMethod ? null : buildMethod, compatibleRuntimes, users);
        var buildArch = Literal(template, SamTemplate.Child(metadata, "BuildArchitecture"), where, "Metadata.BuildArchitecture", ExitCode.ConfigError,
            "write it as a literal: x86_64 or arm64");
        var arch = ChooseArchitecture(where, buildArch, compatibleArchs, users);
        var layerName = SamTemplate.Scalar(SamTemplate.Child(props, "LayerName"));
        // SAM builds no layer without a BuildMethod: it ships the folder as it is. So does LambdaSlim, unless told otherwise.
        var build = buildMethod switch
        {
            MakefileMethod => BuildKind.Makefile,
            null when !(settings.GetBool("build-layers-without-buildmethod") || defaults.GetBool("build-layers-without-buildmethod")) => BuildKind.AsIs,
            _ => BuildKind.Pip,
        };
        return new LayerSpec(id, contentDir, runtime, arch, compatibleRuntimes, compatibleArchs, layerName, settings)
        {
            Build = build,
            Make = build == BuildKind.Makefile ? ReadMake(template, baseDir, contentDir, metadata, where) : null,
        };
    }

    /// <summary>
    /// Native wheels fit one Python minor, so a layer is built for exactly one runtime:
    /// BuildMethod as SAM does, else its only compatible runtime, else what every function using it runs.
    /// </summary>
    private static PythonRuntime ChooseRuntime(string where, string? buildMethod, IReadOnlyList<string> compatible, IReadOnlyList<FunctionSpec> users)
    {
        if (buildMethod is not null) return PythonRuntimes.Parse(buildMethod, $"{where} Metadata.BuildMethod");
        var python = compatible.Where(r => r.StartsWith("python", StringComparison.Ordinal)).Distinct().ToList();
        if (python.Count == 1) return PythonRuntimes.Parse(python[0], $"{where} CompatibleRuntimes");
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

    /// <summary>share-with names accounts (12 digits), organizations (o-...) or, written out, everyone ('*').</summary>
    private static void CheckShareWith(IEnumerable<LayerSpec> layers)
    {
        foreach (var l in layers)
            foreach (var principal in l.ShareWith)
                if (principal != "*" && !System.Text.RegularExpressions.Regex.IsMatch(principal, @"^(\d{12}|o-[a-z0-9]{10,32})$"))
                    throw LambdaSlimException.Config($"layer {l.LogicalId}: share-with has '{principal}', which is neither a 12-digit account ID nor an organization ID (o-...)",
                        "list account IDs such as 123456789012, or your organization's ID such as o-a1b2c3d4e5");
    }

    /// <summary>Layers that others assume are built first, so their distributions are known when the others are.</summary>
    private static List<LayerSpec> OrderByAssumptions(List<LayerSpec> layers)
    {
        CheckShareWith(layers);
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

    private static IReadOnlyList<string> ResolvedList(SamTemplate template, YamlNode? node) => node switch
    {
        YamlSequenceNode seq => seq.Children.Select(template.Resolve).OfType<string>().ToList(),
        null => [],
        _ => template.Resolve(node) is { } one ? [one] : [],
    };

    /// <summary>The <c>Metadata: LambdaSlim:</c> of a resource (or of the template), checked against the settings schema.</summary>
    private static LambdaSlimSettings ReadSettings(YamlMappingNode owner, string where, SettingScope scope) =>
        SamTemplate.Child(SamTemplate.Child(owner, "Metadata"), "LambdaSlim") switch
        {
            null => LambdaSlimSettings.None,
            YamlMappingNode m => new LambdaSlimSettings(m, where, scope),
            YamlScalarNode { Value: "" or "~" or "null" } => LambdaSlimSettings.None,
            _ => throw LambdaSlimException.Config($"{where}: Metadata: LambdaSlim must be a mapping of settings", "write e.g. 'LambdaSlim: {prune: safe}'"),
        };

    /// <summary>
    /// CloudFormation's rule for logical IDs. LambdaSlim names files and folders after them, so anything else
    /// (a '/' or '..') could write outside the project: refuse it for every resource, as CloudFormation would.
    /// </summary>
    private static void CheckLogicalIds(SamTemplate template)
    {
        var file = Path.GetFileName(template.Path);
        foreach (var key in template.Resources.Children.Keys)
        {
            var id = key is YamlScalarNode s ? s.Value ?? "" : key.ToString();
            if (key is not YamlScalarNode || id.Length is 0 or > MaxLogicalIdLength || !id.All(char.IsAsciiLetterOrDigit))
                throw LambdaSlimException.Input(
                    $"resource '{(id.Length > 80 ? id[..80] + "..." : id)}' in {file}: a logical ID must be 1 to {MaxLogicalIdLength} letters and digits only (CloudFormation's rule)",
                    "rename it");
        }
    }

    private const int MaxLogicalIdLength = 255;

    /// <summary>True when the folder holds at least one file, at any depth (or cannot be walked: packaging says why).</summary>
    private static bool HasAnyFile(string dir)
    {
        try
        {
            return Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static string ExistingDir(string baseDir, string relative, string what)
    {
        var full = Path.GetFullPath(relative, baseDir);
        if (Directory.Exists(full)) return full;
        if (File.Exists(full))
            throw LambdaSlimException.Input($"{what} is a file, not a folder ({full})", "point it at the folder that holds the code; LambdaSlim makes the zip");
        throw LambdaSlimException.Input($"{what} does not exist ({full})", "fix the path in the template; it is relative to the template's folder");
    }
}
