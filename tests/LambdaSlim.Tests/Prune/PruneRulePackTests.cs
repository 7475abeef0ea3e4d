using LambdaSlim.Prune;

namespace LambdaSlim.Tests.Prune;

public class PruneRulePackTests
{
    [Fact]
    public void Built_in_packs_load_and_every_rule_says_why()
    {
        var rules = PruneRulePack.All;
        rules.Select(r => r.Pack).Distinct().Order().ShouldBe(["botocore", "generic", "numpy", "pandas", "scikit-learn", "scipy"]);
        rules.ShouldAllBe(r => r.Why.Length > 20);
        rules.Select(r => r.Id).ShouldBeUnique();
    }

    [Fact]
    public void A_pack_that_does_not_parse_names_the_file_and_line()
    {
        var e = Should.Throw<LambdaSlimException>(() => PruneRulePack.Parse("pack: x\nrules:\n  - id: a\n    level: safe\n    remove: [\"*.c\"\n", "rules/x.yaml"));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.Message.ShouldStartWith("rules/x.yaml:");
    }

    [Theory]
    [InlineData("pack: x\nrules:\n  - id: a\n    level: safe\n    remove: ['*.c']\n    why: because\n    colour: red\n", "rules/x.yaml:7: unknown key 'colour'")]
    [InlineData("pack: x\nrules:\n  - id: a\n    level: sometimes\n    remove: ['*.c']\n    why: because\n", "rule a: level 'sometimes'")]
    [InlineData("pack: x\nrules:\n  - id: a\n    level: safe\n    why: because\n", "rule a removes nothing")]
    public void Invalid_rules_are_refused_with_a_reason(string yaml, string expected)
    {
        Should.Throw<LambdaSlimException>(() => PruneRulePack.Parse(yaml, "rules/x.yaml")).Message.ShouldContain(expected);
    }
}
