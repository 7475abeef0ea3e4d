using System.Text.RegularExpressions;

namespace LambdaSlim.Tests.Structure;

/// <summary>
/// Each source file holds the type it is named after; besides it, only small records and enums that belong to it
/// (a result and its parts, a mode). A second class, struct or interface gets its own file.
/// </summary>
public partial class OneTypePerFileTests
{
    [GeneratedRegex(@"^(?:public |internal |file )?(?:static |sealed |abstract |readonly |partial |ref )*(class|record struct|record|struct|interface|enum)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    public static TheoryData<string> Projects => new() { "LambdaSlim", "LambdaSlim.Cli" };

    /// <summary>Files named for what they run, not for a type.</summary>
    private static readonly string[] Entrypoints = ["Program.cs"];

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_file_holds_the_type_it_is_named_after_and_no_other_class(string project)
    {
        var root = Path.Combine(TestEnvironment.RepoRoot, "src", project);
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith("obj", StringComparison.Ordinal) && !Path.GetRelativePath(root, f).StartsWith("bin", StringComparison.Ordinal))
            .ToList();
        files.Count.ShouldBeGreaterThan(10);
        var problems = new List<string>();
        foreach (var file in files.Where(f => !Entrypoints.Contains(Path.GetFileName(f))))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var types = TopLevelType().Matches(File.ReadAllText(file)).Select(m => (Kind: m.Groups[1].Value, Name: m.Groups[2].Value)).ToList();
            var relative = Path.GetRelativePath(root, file);
            if (!types.Any(t => t.Name == name)) problems.Add($"{relative} holds no type named {name}");
            foreach (var other in types.Where(t => t.Name != name && t.Kind is "class" or "struct" or "interface"))
                problems.Add($"{relative} also holds {other.Kind} {other.Name}: give it its own file");
        }
        problems.ShouldBeEmpty();
    }
}
