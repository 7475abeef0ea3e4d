namespace LambdaSlim.Cli.Commands;

/// <summary>What the size commands take: the project whose last build they read.</summary>
public class SizeSettings : ProjectSettings;
