using Spectre.Console;

namespace LambdaSlim.Cli.Console;

/// <summary>The two streams: results on stdout, progress, warnings and errors on stderr.</summary>
public sealed record Consoles(IAnsiConsole Out, IAnsiConsole Error)
{
    public static Consoles System() => new(
        Create(global::System.Console.Out, global::System.Console.IsOutputRedirected),
        Create(global::System.Console.Error, global::System.Console.IsErrorRedirected));

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        // A CI log has no width: wrapping there splits one-line errors into several.
        if (redirected) console.Profile.Width = 4096;
        return console;
    }
}
