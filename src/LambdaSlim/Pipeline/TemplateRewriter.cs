using LambdaSlim.Project;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LambdaSlim.Pipeline;

/// <summary>
/// Produces the template that sits next to the zips: what LambdaSlim built points at its zips, and every other
/// local path that <c>sam package</c> or <c>aws cloudformation package</c> would upload (<see cref="PackageableProperty"/>,
/// <c>AWS::Include</c> locations anywhere, Globals) is made relative to the new folder, so
/// <c>sam deploy -t .lambdaslim/build/template.yaml</c> uploads the same files the user's template names. Nothing else is touched.
/// </summary>
public static class TemplateRewriter
{
    /// <param name="builtZips">Logical ID → the zip's path relative to the output folder, for every artifact that exists.</param>
    public static string Rewrite(string templatePath, string outputDir, IReadOnlyDictionary<string, string> builtZips)
    {
        // Work on a fresh copy: the loaded model stays as the user wrote it. Loading expands YAML aliases and merge
        // keys into copies, so functions that shared one Properties node each get their own CodeUri here.
        var template = SamTemplate.Load(templatePath);
        var folders = new Folders(Path.GetDirectoryName(Path.GetFullPath(templatePath))!, Path.GetFullPath(outputDir));
        var globals = SamTemplate.Child(template.Root, "Globals");

        RewriteResources(template.Resources, builtZips, template.GlobalsFunction, folders);
        if (SamTemplate.Child(template.Root, "Metadata") is YamlMappingNode metadata)
        {
            foreach (var property in PackageableProperty.Metadata)
            {
                if (SamTemplate.Child(metadata, property.Type) is YamlMappingNode entry)
                    RelocatePath(entry, property.Path, fillWhenAbsent: false, folders);
            }
        }
        // SAM applies Globals.Function.CodeUri to functions without one before it packages them.
        if (template.GlobalsFunction is { } function) Relocate(function, "CodeUri", fillWhenAbsent: false, folders);
        if (SamTemplate.Child(globals, "Api") is YamlMappingNode api) Relocate(api, "DefinitionUri", fillWhenAbsent: false, folders);
        RelocateIncludes(template.Root, folders);
        return Serialize(template.Root);
    }

    /// <summary>Writes the template as YAML, keeping tags (mappings' too), quoting styles and key order.</summary>
    internal static string Serialize(YamlMappingNode root)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(new TagKeepingEmitter(new Emitter(writer, bestIndent: 2, bestWidth: int.MaxValue)), assignAnchors: false);
        var text = writer.ToString();
        // YamlStream always closes a document with "...": drop it so the file reads like the user's.
        if (text.EndsWith("...\n", StringComparison.Ordinal)) text = text[..^4];
        else if (text.EndsWith("...\r\n", StringComparison.Ordinal)) text = text[..^5];
        return text;
    }

    private sealed record Folders(string Template, string Output);

    private static void RewriteResources(YamlMappingNode resources, IReadOnlyDictionary<string, string> builtZips, YamlMappingNode? globalsFunction, Folders folders)
    {
        foreach (var (key, value) in resources.Children)
        {
            var id = SamTemplate.Scalar(key) ?? "";
            // Fn::ForEach::Name: [Identifier, Collection, {resources}]: the packagers export the resources inside too.
            if (id.StartsWith("Fn::ForEach::", StringComparison.Ordinal))
            {
                if (value is YamlSequenceNode { Children.Count: 3 } forEach && forEach.Children[2] is YamlMappingNode body)
                    RewriteResources(body, builtZips, globalsFunction, folders);
                continue;
            }
            if (value is not YamlMappingNode resource) continue;
            var type = SamTemplate.Scalar(SamTemplate.Child(resource, "Type")) ?? "";
            var props = SamTemplate.Child(resource, "Properties") as YamlMappingNode;
            // `sam build -t` on the new template (for what is left to SAM) reads these folders from it.
            if (SamTemplate.Child(resource, "Metadata") is YamlMappingNode buildMetadata)
            {
                foreach (var folder in PackageableProperty.BuildMetadata) Relocate(buildMetadata, folder, fillWhenAbsent: false, folders);
            }
            if (builtZips.TryGetValue(id, out var zip) && PackageableProperty.BuiltArtifact.TryGetValue(type, out var artifact))
            {
                if (props is null) { props = new YamlMappingNode(); SamTemplate.Set(resource, "Properties", props); }
                SamTemplate.Set(props, artifact, new YamlScalarNode(zip));
                continue;
            }
            // Without Properties awscli exports nothing, and SAM uploads into a copy it then drops. InlineCode has nothing to upload.
            if (props is null || SamTemplate.Child(props, "InlineCode") is not null) continue;
            var image = SamTemplate.Scalar(SamTemplate.Child(props, "PackageType")) == "Image";
            var fill = type != ProjectLoader.FunctionType || FillsFolderWhenCodeUriIsMissing(props, globalsFunction);
            foreach (var property in PackageableProperty.Resources)
            {
                if (property.Type == type && property.Image == image)
                    RelocatePath(props, property.Path, fill && property.PackagedWhenAbsent, folders, onlyAnExistingFile: property.Image);
            }
        }
    }

    /// <summary>
    /// A function without CodeUri is packaged from the template's folder, unless Globals give it a CodeUri or it is
    /// not a zip function at all: then adding a CodeUri would change what it deploys.
    /// </summary>
    private static bool FillsFolderWhenCodeUriIsMissing(YamlMappingNode props, YamlMappingNode? globalsFunction) =>
        SamTemplate.Child(props, "ImageUri") is null
        && !new[] { "CodeUri", "InlineCode", "ImageUri" }.Any(k => SamTemplate.Child(globalsFunction, k) is not null)
        && SamTemplate.Child(globalsFunction, "PackageType") is null or YamlScalarNode { Value: "Zip" };

    /// <summary>Rebases the value at a dotted path (see <see cref="PackageableProperty.Path"/>) under a mapping.</summary>
    private static void RelocatePath(YamlMappingNode root, string path, bool fillWhenAbsent, Folders folders, bool onlyAnExistingFile = false)
    {
        var segments = path.Split('.');
        // Collected first: rebasing replaces values in the mappings being walked.
        foreach (var (parent, key) in Locate(root, segments, 0).ToList()) Relocate(parent, key, fillWhenAbsent, folders, onlyAnExistingFile);
    }

    private static IEnumerable<(YamlMappingNode Parent, string Key)> Locate(YamlMappingNode node, string[] segments, int index)
    {
        var segment = segments[index];
        if (index == segments.Length - 1)
        {
            yield return (node, segment);
            yield break;
        }
        if (segment != "**")
        {
            if (SamTemplate.Child(node, segment) is YamlMappingNode child)
            {
                foreach (var hit in Locate(child, segments, index + 1)) yield return hit;
            }
            yield break;
        }
        foreach (var hit in Locate(node, segments, index + 1)) yield return hit;
        foreach (var (key, value) in node.Children)
        {
            if (value is YamlMappingNode child && SamTemplate.Scalar(key) != segments[^1])
            {
                foreach (var hit in Locate(child, segments, index)) yield return hit;
            }
        }
    }

    private static void Relocate(YamlMappingNode parent, string key, bool fillWhenAbsent, Folders folders, bool onlyAnExistingFile = false)
    {
        var node = SamTemplate.Child(parent, key);
        if (node is null || IsEmpty(node))
        {
            // The packager would zip the folder of the template it reads: name the user's folder explicitly.
            if (fillWhenAbsent) SamTemplate.Set(parent, key, new YamlScalarNode(Rebase(".", folders)));
            return;
        }
        // Intrinsics (tagged scalars, long-form mappings) and S3 location objects are not local paths.
        var value = SamTemplate.Scalar(node);
        if (value is null || value.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(value)) return;
        if (onlyAnExistingFile && !File.Exists(Path.GetFullPath(value, folders.Template))) return;
        SamTemplate.Set(parent, key, new YamlScalarNode(Rebase(value, folders)));
    }

    private static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode s && SamTemplate.TagOf(s) is null
        && (s.Value is null or "" || (s.Style == ScalarStyle.Plain && s.Value is "~" or "null" or "Null" or "NULL"));

    private static string Rebase(string value, Folders folders)
    {
        var full = Path.GetFullPath(value, folders.Template);
        var relative = Path.GetRelativePath(folders.Output, full).Replace('\\', '/');
        if (value.EndsWith('/') && !relative.EndsWith('/')) relative += "/";
        return relative;
    }

    /// <summary>
    /// <c>Fn::Transform: {Name: AWS::Include, Parameters: {Location: file}}</c> anywhere in the template, long form or
    /// <c>!Transform</c>: both packagers upload a local Location, read from the template's folder.
    /// </summary>
    private static void RelocateIncludes(YamlNode node, Folders folders)
    {
        switch (node)
        {
            case YamlMappingNode map:
                if (SamTemplate.TagOf(map) == "!Transform") RelocateInclude(map, folders);
                foreach (var (key, value) in map.Children)
                {
                    if (SamTemplate.Scalar(key) == "Fn::Transform" && value is YamlMappingNode transform) RelocateInclude(transform, folders);
                    RelocateIncludes(value, folders);
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children) RelocateIncludes(item, folders);
                break;
        }
    }

    private static void RelocateInclude(YamlMappingNode transform, Folders folders)
    {
        if (SamTemplate.Scalar(SamTemplate.Child(transform, "Name")) == "AWS::Include"
            && SamTemplate.Child(transform, "Parameters") is YamlMappingNode parameters)
            Relocate(parameters, "Location", fillWhenAbsent: false, folders);
    }
}
