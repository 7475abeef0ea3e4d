using LambdaSlim.Project;
using LambdaSlim.Prune;
using LambdaSlim.Trace;

namespace LambdaSlim.Tests.Trace;

public class TracePlannerTests
{
    private static PruneCandidate File(string path, string? owner, long size = 10) => new(path, owner, size, Installed: owner is not null);

    private static readonly PruneCandidate[] Files =
    [
        File("pytz/__init__.py", "pytz"), File("pytz/zoneinfo/Europe/Paris", "pytz"), File("pytz-2024.1.dist-info/METADATA", "pytz"),
        File("certifi/__init__.py", "certifi"), File("certifi/cacert.pem", "certifi"), File("certifi-2024.2.dist-info/METADATA", "certifi"),
        File("app.py", null),
    ];

    private static TracePlan Plan(Dictionary<string, IReadOnlySet<string>> touched, params string[] traceKeep) =>
        TracePlanner.Plan(Files, touched, ["events/a.json"], TraceAllowlist.BuiltIn, traceKeep.Select(g => new Glob(g)).ToList());

    [Fact]
    public void The_allowlist_and_the_metadata_are_kept_only_with_a_distribution_an_event_touched()
    {
        var plan = Plan(new() { ["pytz/__init__.py"] = new HashSet<string> { "events/a.json" } });

        plan.Dropped.Select(d => d.Path).ShouldBe(["certifi/__init__.py", "certifi/cacert.pem", "certifi-2024.2.dist-info/METADATA"], ignoreOrder: true);
        plan.Dropped.ShouldAllBe(d => d.Rule == PrunePlanner.TracedRule);
        var why = plan.Report.Kept.ToDictionary(k => k.Path, k => k.Why);
        why["pytz/__init__.py"].ShouldBe("events/a.json");
        why["pytz/zoneinfo/Europe/Paris"].ShouldStartWith("allowlist: pytz opens a zone's file only when");
        why["pytz-2024.1.dist-info/METADATA"].ShouldBe("metadata of a kept distribution");
    }

    [Fact]
    public void Trace_keep_keeps_what_no_event_touched_and_own_files_always_stay()
    {
        var plan = Plan([], "certifi/**");

        plan.Dropped.Select(d => d.Path).ShouldBe(["pytz/__init__.py", "pytz/zoneinfo/Europe/Paris", "pytz-2024.1.dist-info/METADATA"], ignoreOrder: true);
        plan.Report.Kept.Single(k => k.Path == "certifi/__init__.py").Why.ShouldBe("trace-keep");
        plan.Report.Distributions.Single(d => d.Name == TracePlanner.OwnFiles).DroppedFiles.ShouldBe(0);
    }

    [Fact]
    public void The_report_counts_the_share_of_a_distributions_modules_the_events_imported()
    {
        var plan = Plan(new() { ["pytz/__init__.py"] = new HashSet<string> { "events/a.json" } });

        var pytz = plan.Report.Distributions.Single(d => d.Name == "pytz");
        (pytz.ModulesExercised, pytz.Modules, pytz.KeptFiles, pytz.DroppedFiles).ShouldBe((1, 1, 3, 0));
        plan.Report.Distributions.Single(d => d.Name == "certifi").DroppedBytes.ShouldBe(30);
    }
}
