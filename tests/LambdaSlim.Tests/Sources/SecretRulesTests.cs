using LambdaSlim.Sources.Secrets;

namespace LambdaSlim.Tests.Sources;

public class SecretRulesTests
{
    private static readonly SecretRules Rules = SecretRules.BuiltIn;

    [Fact]
    public void Every_built_in_rule_has_a_unique_id_and_says_why()
    {
        Rules.CredentialFiles.Count.ShouldBeGreaterThan(10);
        Rules.SecretsInCode.Count.ShouldBeGreaterThan(8);
        Rules.CredentialFiles.Select(r => r.Id).ShouldBeUnique();
        Rules.SecretsInCode.Select(r => r.Id).ShouldBeUnique();
        foreach (var why in Rules.CredentialFiles.Select(r => r.Why).Concat(Rules.SecretsInCode.Select(r => r.Why)))
            why.Length.ShouldBeGreaterThan(30);
    }

    [Theory]
    [InlineData("KEY = \"-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAx4Ns2Hj0rkD6cKq0v8wZ8f3Hq6sT9r1Gm0D3pLw2yYv5kJx\\n\"", "a private key")]
    [InlineData("aws_secret_access_key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK7MDENGbP'", "an AWS secret access key")]
    [InlineData("s3 = boto3.client('s3', aws_secret_access_key=\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK7MDENGbP\")", "an AWS secret access key")]
    [InlineData("{\"AWS_SECRET_ACCESS_KEY\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK7MDENGbP\"}", "an AWS secret access key")]
    [InlineData("KEYS = ('AKIAZ3MSJV6TQWERTYUI', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK7MDENGbP')", "an AWS access key id with its secret")]
    [InlineData("token = 'ghp_0123456789abcdefghijklmnopqrstuvwxyz'", "a GitHub token")]
    [InlineData("token = 'github_pat_11ABCDEFG0123456789abc_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW'", "a GitHub token")]
    [InlineData("NPM = 'npm_0123456789abcdefghijklmnopqrstuvwxyz'", "an npm token")]
    [InlineData("SLACK = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp'", "a Slack token")]
    [InlineData("stripe.api_key = 'sk_live_51H8abcdefghijklmnopqrstuvwxyz'", "a Stripe live key")]
    [InlineData("password = 'pypi-AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMAACKlszLCJhYmMiXQ'", "a PyPI token")]
    [InlineData("GITLAB = 'glpat-abcdefghij0123456789'", "a GitLab token")]
    public void Finds_a_secret_in_code_and_its_line(string line, string what)
    {
        var found = Rules.FindInCode("import os\n\n" + line + "\n").ShouldNotBeNull();
        found.Rule.What.ShouldBe(what);
        found.Line.ShouldBe(3);
    }

    [Theory]
    [InlineData("if pem.startswith(b'-----BEGIN RSA PRIVATE KEY-----'):\n    return load_pem_private_key(pem, None)  # cryptography/hazmat/primitives/serialization")]
    [InlineData("aws_secret_access_key = os.environ['AWS_SECRET_ACCESS_KEY']")]
    [InlineData("KEY = os.environ['AWS_SECRET_ACCESS_KEY']\nDIGEST = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'")]
    [InlineData("# from the AWS docs: AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("SLACK = 'xoxb-your-token-here'")]
    [InlineData("stripe.api_key = 'sk_test_51H8abcdefghijklmnopqrstuvwxyz'")]
    [InlineData("TZ = 'Asia/Tokyo'")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIFazCCA1OgAwIBAgIRAIIQz7DSQONZRGPgu2OCiwAwDQYJKoZIhvcNAQELBQAwTzEL\n-----END CERTIFICATE-----")]
    public void Code_that_only_mentions_secrets_is_not_a_secret(string text) => Rules.FindInCode(text).ShouldBeNull();

    [Theory]
    [InlineData(".env", "A=1", "env-file")]
    [InlineData("config/prod.env", "A=1", "env-file")]
    [InlineData(".env.example", "A=", null)]
    [InlineData(".env/activate.py", "x = 1", null)] // a folder named .env is not a credential file
    [InlineData(".npmrc", "//registry.npmjs.org/:_authToken=abc", "npm-token")]
    [InlineData(".npmrc", "save-exact=true", null)]
    [InlineData("certs/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", null)]
    [InlineData("certs/key.pem", "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n", "private-key-file")]
    [InlineData("deploy/notes.txt", "\n-----BEGIN PRIVATE KEY-----\nMHcC\n", "starts-with-private-key")]
    [InlineData("conf/config", "[default]\naws_secret_access_key = abc\n", "aws-credentials")]
    [InlineData("conf/config", "[core]\nbare = false\n", null)]
    [InlineData("sa.json", "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMII\"}", "gcp-service-account")]
    public void Credential_files_are_recognised_by_name_and_content(string path, string text, string? rule) =>
        (Rules.CredentialFile(path, text)?.Id).ShouldBe(rule);

    [Fact]
    public void A_rule_set_with_an_unknown_key_is_a_config_error_naming_file_and_line()
    {
        var e = Should.Throw<LambdaSlimException>(() => SecretRules.Parse("""
            documentation: ["*.md"]
            credential-files:
              - id: x
                match: [x]
                what: x
                wy: typo
            secrets-in-code: []
            """, "rules.yaml"));
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.Message.ShouldStartWith("rules.yaml:6: unknown key 'wy'");
    }
}
