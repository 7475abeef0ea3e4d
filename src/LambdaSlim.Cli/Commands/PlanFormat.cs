namespace LambdaSlim.Cli.Commands;

/// <summary>`plan --format`.</summary>
public enum PlanFormat { Text, Json, Markdown }
