namespace LambdaSlim.Elf;

/// <summary>
/// A file that claims to be ELF but whose tables point outside it or loop; <see cref="ElfSpanReader"/> throws it on a
/// read past the end of a table. It never reaches callers of the public parsers: <c>ElfInfo.Read</c> returns it as an
/// error, and the stripper sizes every table from checked headers before reading it.
/// </summary>
internal sealed class ElfFormatException(string message) : Exception(message);
