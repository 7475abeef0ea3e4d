namespace LambdaSlim.Cli.Commands;

/// <summary>`size report --format`.</summary>
public enum ReportFormat { Text, Json, Markdown, Html }
