namespace LambdaSlim.Cli.Commands;

/// <summary>`--format` of build and audit: the report as text, or as JSON for scripts.</summary>
public enum OutputFormat { Text, Json }
