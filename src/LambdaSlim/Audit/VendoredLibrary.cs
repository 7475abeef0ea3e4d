namespace LambdaSlim.Audit;

/// <summary>A library the audit's repair wants copied into an artifact: at <paramref name="Target"/> (lib/soname), from <paramref name="Source"/> on the build machine.</summary>
public sealed record VendoredLibrary(string Artifact, string Target, string Source);
