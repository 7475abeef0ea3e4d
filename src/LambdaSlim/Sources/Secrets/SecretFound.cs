namespace LambdaSlim.Sources.Secrets;

/// <summary>Where in a text a secret pattern matched: the rule and the 1-based line.</summary>
public sealed record SecretFound(SecretPatternRule Rule, int Line);
