namespace LambdaSlim.Elf;

/// <summary>
/// A file that claims to be ELF but whose tables point outside it or loop. It never leaves the <c>Elf</c> parsers:
/// they catch it and return a result with the reason.
/// </summary>
internal sealed class ElfFormatException(string message) : Exception(message);
