namespace LambdaSlim.Pipeline;

/// <summary>Native-binary audit findings fail the build (Error), are reported (Warn), or the audit is skipped (Off).</summary>
public enum AuditMode { Error, Warn, Off }
