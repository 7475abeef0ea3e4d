using System.Text.RegularExpressions;

namespace LambdaSlim.Tests.Structure;

/// <summary>
/// The engine's folders in the order they may use each other: a folder uses only folders before it. Data at the
/// bottom (the root's exception and observer, then Model), the stages in pipeline order, renderers and the pipeline
/// on top. README.md's Layout section lists the same folders.
/// </summary>
public static partial class SourceLayers
{
    public const string Root = "(root)";

    public static readonly IReadOnlyList<string> Order =
    [
        // Sources (which of the user's files ship, and the secret rules) comes before Install: preparing an artifact
        // chooses the user's files first, so that a secret in them fails the build before pip runs.
        Root, "Model", "IO", "Cache", "Aws", "Elf", "Runtimes", "Project", "Sources", "Install", "Prune", "Bytecode", "Audit", "Verify", "Trace", "Package",
        "Validate", "Report", "Pipeline", "Plan", "Operate", "ColdStart",
    ];

    public sealed record SourceFile(string RelativePath, string Text)
    {
        public string Folder => RelativePath.Contains('/') ? RelativePath[..RelativePath.IndexOf('/')] : Root;
    }

    public sealed record Violation(string File, string Folder, string Uses, string Why)
    {
        public override string ToString() => $"{File}: {Folder} {Why} {Uses}";
    }

    public static IReadOnlyList<SourceFile> Read(string engineDir) =>
        Directory.EnumerateFiles(engineDir, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(engineDir, f).Replace('\\', '/'))
            .Where(r => !r.StartsWith("obj/", StringComparison.Ordinal) && !r.StartsWith("bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(r => new SourceFile(r, File.ReadAllText(Path.Combine(engineDir, r))))
            .ToList();

    /// <summary>
    /// Every use of a folder at or above the file's own (by `using LambdaSlim.X`, `LambdaSlim.X.Type` or, from inside
    /// the engine's namespace, `X.Type`), every folder missing from <see cref="Order"/>, and every namespace that does
    /// not match its folder.
    /// </summary>
    public static IReadOnlyList<Violation> Check(IReadOnlyList<SourceFile> files)
    {
        var rank = Order.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        var typesByFolder = files.GroupBy(f => f.Folder)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => TypeDeclaration().Matches(f.Text).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal));
        var violations = new List<Violation>();
        foreach (var file in files)
        {
            if (!rank.TryGetValue(file.Folder, out var mine))
            {
                violations.Add(new(file.RelativePath, file.Folder, "", "is a folder the layer order does not know; add it to SourceLayers.Order and the README's Layout"));
                continue;
            }
            var expected = file.Folder == Root ? "LambdaSlim" : $"LambdaSlim.{file.Folder}";
            var ns = Namespace().Match(file.Text).Groups[1].Value;
            if (ns != expected && !ns.StartsWith(expected + ".", StringComparison.Ordinal))
                violations.Add(new(file.RelativePath, file.Folder, ns, "declares the namespace"));

            var code = LineComment().Replace(file.Text, "");
            var used = UsingDirective().Matches(code).Select(m => m.Groups[1].Value)
                .Concat(QualifiedName().Matches(code).Select(m => m.Groups[1].Value))
                .Concat(typesByFolder.Where(t => t.Key != Root && t.Key != file.Folder)
                    .Where(t => t.Value.Any(type => Regex.IsMatch(code, $@"(?<![\w.]){t.Key}\.{type}\b")))
                    .Select(t => t.Key))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var folder in used.Where(u => u != file.Folder).Order(StringComparer.Ordinal))
            {
                if (!rank.TryGetValue(folder, out var theirs)) continue; // a namespace of ours that is not an engine folder (the CLI's, say): the compiler rejects those
                if (theirs > mine) violations.Add(new(file.RelativePath, file.Folder, folder, "uses the later folder"));
            }
        }
        return violations;
    }

    [GeneratedRegex(@"^(?:public |internal |file )?(?:static |sealed |abstract |readonly |partial )*(?:class|record struct|record|struct|interface|enum)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^\s*(?:global\s+)?using (?:static )?LambdaSlim\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"(?<![\w.])LambdaSlim\.(\w+)\.")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();
}
