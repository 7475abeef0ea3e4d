using System.Globalization;
using System.Text;
using LambdaSlim.Cache;
using LambdaSlim.Cli.Console;
using LambdaSlim.IO;
using LambdaSlim.Model;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim cache prune --max-size 5GB --older-than 30d`: removes entries, oldest first, and says which.</summary>
public sealed class CachePruneCommand(Consoles consoles) : AsyncCommand<CachePruneSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CachePruneSettings settings, CancellationToken cancellationToken)
    {
        var maxBytes = settings.MaxSize is null ? (long?)null : CachePrunePlan.ParseSize(settings.MaxSize);
        var olderThan = settings.OlderThan is null ? (TimeSpan?)null : CachePrunePlan.ParseAge(settings.OlderThan);
        var location = settings.ResolveLocation();
        // The cache folder the user named (or the default one) is the only place this command deletes in.
        using var boundary = WriteBoundary.Allow([.. location.WriteRoots]);
        using var store = CacheStore.Open(location, new PlainObserver(consoles.Error, settings.Verbose));
        var entries = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var plan = CachePrunePlan.Choose(entries, maxBytes, olderThan, DateTimeOffset.UtcNow);
        var sb = new StringBuilder();
        var removed = new List<CacheEntry>();
        foreach (var e in plan)
        {
            if (!await store.DeleteAsync(e.Key, cancellationToken).ConfigureAwait(false)) continue;
            removed.Add(e);
            sb.Append("removed ").Append(CacheStatusCommand.Describe(e)).Append('\n');
        }
        var left = entries.Except(removed).ToList();
        sb.Append(CultureInfo.InvariantCulture,
            $"{location}: removed {removed.Count} {Entries(removed.Count)}, {Bytes.Format(removed.Sum(e => e.Bytes))}; {left.Count} {Entries(left.Count)}, {Bytes.Format(left.Sum(e => e.Bytes))} left\n");
        consoles.Out.Profile.Out.Writer.Write(sb.ToString());
        return 0;
    }

    private static string Entries(int n) => n == 1 ? "entry" : "entries";
}
