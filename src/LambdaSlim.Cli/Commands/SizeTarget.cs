namespace LambdaSlim.Cli.Commands;

/// <summary>`size validate --target`: which tables and findings to show.</summary>
public enum SizeTarget { Layers, Functions, All }
