using LambdaSlim.Prune;
using LambdaSlim.Project;

namespace LambdaSlim.Tests.Prune;

public class PrunePlannerTests
{
    private static PruneCandidate F(string path, string? owner = "pkg", bool installed = true) => new(path, owner, 100, installed);

    private static Dictionary<string, string> Removed(IReadOnlyList<PruneCandidate> files, PruneSettings? settings = null, List<string>? warnings = null)
    {
        var plan = PrunePlanner.Plan(files, PruneRulePack.All, settings ?? PruneSettings.Default, "layer L");
        warnings?.AddRange(plan.Warnings);
        return plan.Removed.ToDictionary(d => d.Path, d => d.Rule);
    }

    [Fact]
    public void Prune_removes_test_folders_inside_packages_but_keeps_numpy_testing_because_numpy_imports_it()
    {
        var removed = Removed([
            F("pandas/tests/frame/test_api.py", "pandas"), F("pandas/__init__.py", "pandas"),
            F("numpy/testing/__init__.py", "numpy"), F("numpy/testing/_private/utils.py", "numpy"),
            F("numpy/core/tests/test_multiarray.py", "numpy"), F("pandas/_testing/__init__.py", "pandas"),
        ]);
        removed.Keys.Order().ShouldBe(["numpy/core/tests/test_multiarray.py", "pandas/tests/frame/test_api.py"]);
        removed.Values.ShouldAllBe(r => r == "tests");
    }

    [Fact]
    public void A_top_level_module_named_tests_is_a_distributions_code_and_stays()
    {
        Removed([F("tests/__init__.py", "oddball"), F("tests/helpers.py", "oddball")]).ShouldBeEmpty();
    }

    [Fact]
    public void Docs_folders_go_unless_they_are_python_packages_that_code_imports()
    {
        var removed = Removed([
            F("botocore/docs/__init__.py", "botocore"), F("botocore/docs/docstring.py", "botocore"),
            F("somepkg/docs/index.html", "somepkg"), F("somepkg/examples/demo.py", "somepkg"), F("somepkg/__init__.py", "somepkg"),
        ]);
        removed.Keys.Order().ShouldBe(["somepkg/docs/index.html", "somepkg/examples/demo.py"]);
    }

    [Fact]
    public void Dist_info_is_thinned_to_what_the_runtime_reads_and_licences()
    {
        var removed = Removed([
            F("pandas-1.5.3.dist-info/METADATA"), F("pandas-1.5.3.dist-info/RECORD"), F("pandas-1.5.3.dist-info/WHEEL"),
            F("pandas-1.5.3.dist-info/entry_points.txt"), F("pandas-1.5.3.dist-info/top_level.txt"),
            F("pandas-1.5.3.dist-info/LICENSE"), F("pandas-1.5.3.dist-info/INSTALLER"), F("x-1.0.dist-info/licenses/COPYING.txt"),
        ]);
        removed.Keys.Order().ShouldBe(["pandas-1.5.3.dist-info/INSTALLER", "pandas-1.5.3.dist-info/RECORD"]);
        removed.Values.ShouldAllBe(r => r == "dist-info");
    }

    [Fact]
    public void Sources_stubs_and_bytecode_go_and_compiled_modules_stay()
    {
        var removed = Removed([
            F("numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so", "numpy"), F("numpy/__init__.pyi", "numpy"),
            F("numpy/core/include/numpy/ndarrayobject.h", "numpy"), F("pandas/_libs/lib.pyx", "pandas"),
            F("numpy/__pycache__/version.cpython-310.pyc", "numpy"), F("numpy/__init__.py", "numpy"), F("numpy/py.typed", "numpy"),
        ]);
        removed.ShouldNotContainKey("numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so");
        removed.ShouldNotContainKey("numpy/__init__.py");
        removed["numpy/__init__.pyi"].ShouldBe("type-stubs");
        removed["numpy/core/include/numpy/ndarrayobject.h"].ShouldBe("c-sources");
        removed["pandas/_libs/lib.pyx"].ShouldBe("c-sources");
        removed["numpy/__pycache__/version.cpython-310.pyc"].ShouldBe("pycache");
    }

    [Fact]
    public void Package_rules_apply_only_to_their_distribution_and_aggressive_only_when_asked()
    {
        var files = new[] { F("sklearn/datasets/data/iris.csv", "scikit-learn"), F("other/datasets/data/iris.csv", "other") };
        Removed(files).ShouldBeEmpty();
        var aggressive = Removed(files, PruneSettings.Default with { Level = PruneLevel.Aggressive });
        aggressive.ShouldBe(new Dictionary<string, string> { ["sklearn/datasets/data/iris.csv"] = "sklearn-bundled-datasets" });
    }

    [Fact]
    public void Users_code_is_only_pruned_by_their_own_exclude_globs()
    {
        var files = new[] { F("tests/test_app.py", null, installed: false), F("app/tests/test_x.py", null, installed: false), F("notes.md", null, installed: false) };
        Removed(files).ShouldBeEmpty();
        Removed(files, PruneSettings.Default with { Exclude = [new Glob("*.md")] }).ShouldBe(new Dictionary<string, string> { ["notes.md"] = "exclude" });
    }

    [Fact]
    public void Keep_beats_every_rule_and_negation_narrows_it()
    {
        var files = new[] { F("pandas/tests/io/data/a.csv", "pandas"), F("pandas/tests/io/data/b.json", "pandas"), F("pandas/tests/frame/t.py", "pandas") };
        var settings = PruneSettings.Default with { Keep = [new Glob("pandas/tests/io/data/**"), new Glob("!pandas/tests/io/data/*.json")] };
        Removed(files, settings).Keys.Order().ShouldBe(["pandas/tests/frame/t.py", "pandas/tests/io/data/b.json"]);
    }

    [Fact]
    public void Globs_that_match_nothing_are_warned_about()
    {
        var warnings = new List<string>();
        Removed([F("a/b.py")], PruneSettings.Default with { Keep = [new Glob("nothing/**")], Exclude = [new Glob("*.nope")] }, warnings);
        warnings.ShouldContain("layer L: keep glob 'nothing/**' matches no file");
        warnings.ShouldContain("layer L: exclude glob '*.nope' matches no file");
    }

    [Fact]
    public void Botocore_services_keeps_only_listed_models_and_botocores_own_data()
    {
        var files = new[]
        {
            F("botocore/data/s3/2006-03-01/service-2.json.gz", "botocore"), F("botocore/data/ec2/2016-11-15/service-2.json.gz", "botocore"),
            F("botocore/data/endpoints.json", "botocore"), F("boto3/data/ec2/2016-11-15/resources-1.json", "boto3"),
            F("boto3/data/s3/2006-03-01/resources-1.json", "boto3"),
        };
        var warnings = new List<string>();
        var removed = Removed(files, PruneSettings.Default with { BotocoreServices = ["s3", "dynamodbx"] }, warnings);
        removed.Keys.Order().ShouldBe(["boto3/data/ec2/2016-11-15/resources-1.json", "botocore/data/ec2/2016-11-15/service-2.json.gz"]);
        warnings.ShouldContain(w => w.Contains("'dynamodbx'"));
    }

    [Fact]
    public void Prune_none_removes_nothing()
    {
        Removed([F("pandas/tests/a.py", "pandas"), F("x.pyi")], PruneSettings.Default with { Level = PruneLevel.None }).ShouldBeEmpty();
    }
}
