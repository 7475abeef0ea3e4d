namespace LambdaSlim.Model;

public enum Severity { Error, Warning, Info }

/// <summary>Something validation found. <see cref="Check"/> names the check ("audit", "imports", "size") so output can group it.</summary>
public sealed record Finding(Severity Severity, string Subject, string Message, string Check = "size");
