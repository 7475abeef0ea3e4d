using LambdaSlim.Project;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// The LAYER argument of the layers commands. The engine calls an unknown name an input error; on the command line
/// it is a usage error (exit 2), listing the names there are.
/// </summary>
internal static class LayerArgument
{
    public static IReadOnlyList<LayerSpec> Select(ProjectModel project, string nameOrAll)
    {
        try
        {
            return project.SelectLayers(nameOrAll);
        }
        catch (LambdaSlimException e) when (e.ExitCode == ExitCode.InputError)
        {
            throw new LambdaSlimException(ExitCode.Usage, e.Message, e.Hint, e);
        }
    }
}
