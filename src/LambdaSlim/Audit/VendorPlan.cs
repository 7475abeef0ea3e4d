namespace LambdaSlim.Audit;

/// <summary>What the audit's repair wants vendored, and what it has to say about it (in order).</summary>
public sealed record VendorPlan(IReadOnlyList<VendoredLibrary> Libraries, IReadOnlyList<string> Warnings);
