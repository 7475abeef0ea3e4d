using LambdaSlim.Cli.Console;
using Spectre.Console;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// Every command takes the project folder as -p/--project. build and audit took it as an argument before; that form
/// still works for one release, with this one-line hint on stderr.
/// </summary>
internal static class DeprecatedForm
{
    public static void ProjectArgument(Consoles consoles, string command, string dir) =>
        consoles.Error.MarkupLineInterpolated($"[yellow]warning:[/] 'lambdaslim {command} DIR' is deprecated and goes in the next release: use 'lambdaslim {command} -p {dir}'");
}
