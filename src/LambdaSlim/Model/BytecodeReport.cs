namespace LambdaSlim.Model;

/// <summary>How an artifact's bytecode was made: the mode, the interpreter, how many .pyc it ships.</summary>
public sealed record BytecodeReport(string Mode, string? Python, int Files, int Failed, long Bytes = 0);
