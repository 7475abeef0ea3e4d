namespace LambdaSlim.Sources;

/// <summary>A credential-only file left out of the user's code, and what kind it is.</summary>
public sealed record SkippedSecret(string RelativePath, string Reason);

/// <summary>A secret inside a file the code may need (settings.py with an AWS key): where, and what it is.</summary>
public sealed record SecretInCode(string RelativePath, int Line, string What);

/// <summary>A symbolic link that was not followed: where it is, where it points, and why not.</summary>
public sealed record SkippedLink(string RelativePath, string Target, string Why, bool LeadsOut);

/// <summary>
/// What <see cref="SourceFiles.Collect"/> chose from a CodeUri or ContentUri: the files to package (relative path →
/// file on disk), the credential files it left out, the secrets it found inside other files, the secret-looking
/// files it ships because the template allows them, and the links it did not follow.
/// </summary>
public sealed record SourceSelection(
    IReadOnlyList<(string RelativePath, string FullPath)> Files,
    IReadOnlyList<SkippedSecret> LeftOut,
    IReadOnlyList<SecretInCode> SecretsInCode,
    IReadOnlyList<SkippedSecret> AllowedSecrets,
    IReadOnlyList<SkippedLink> SkippedLinks);
