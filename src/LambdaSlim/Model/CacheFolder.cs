namespace LambdaSlim.Model;

/// <summary>
/// The user's LambdaSlim cache ($XDG_CACHE_HOME/lambdaslim, else ~/.cache/lambdaslim): besides a project's
/// .lambdaslim/, the one folder LambdaSlim writes to. Sizes of layers given by ARN are kept there, and layers
/// downloaded for an audit pass through it.
/// </summary>
public static class CacheFolder
{
    public static string Root => Path.GetFullPath(Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "lambdaslim"));
}
