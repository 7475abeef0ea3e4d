namespace LambdaSlim.Elf;

/// <summary>What the header parser found wrong: the bytes are not ELF at all, or they are ELF this parser cannot read.</summary>
public enum ElfProblem { NotElf, Malformed }

/// <summary>A parsed value, or the reason it could not be parsed. Parsers in <c>Elf/</c> return this and never throw.</summary>
public sealed record ElfParseResult<T>(T? Value, ElfProblem? Problem, string? Error) where T : class
{
    public static ElfParseResult<T> Ok(T value) => new(value, null, null);
    public static ElfParseResult<T> Failed(ElfProblem problem, string error) => new(null, problem, error);
}
