using System.Text.RegularExpressions;

namespace LambdaSlim.Sources.Secrets;

/// <summary>
/// A secret recognised by its text wherever it is (a private key block, an AWS secret key, a token with a known prefix).
/// <see cref="Hints"/> are literals one of which must occur before <see cref="Pattern"/> is tried;
/// a match containing one of <see cref="Ignore"/> is a documented example, not a secret.
/// </summary>
public sealed record SecretPatternRule(string Id, string What, IReadOnlyList<string> Hints, Regex Pattern, IReadOnlyList<string> Ignore, string Why);
