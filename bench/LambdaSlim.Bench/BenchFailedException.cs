namespace LambdaSlim.Bench;

/// <summary>A bench could not measure what it measures (a build failed, a tool exited non-zero): Program prints it and exits 1.</summary>
public sealed class BenchFailedException(string message) : Exception(message);
