using System.Globalization;
using System.Text;
using System.Text.Json;
using LambdaSlim.Cache;
using LambdaSlim.Cli.Console;
using LambdaSlim.Model;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`lambdaslim cache status`: where the shared cache is, how many entries and bytes it holds, the oldest and newest.</summary>
public sealed class CacheStatusCommand(Consoles consoles) : AsyncCommand<CacheStatusSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CacheStatusSettings settings, CancellationToken cancellationToken)
    {
        var location = settings.ResolveLocation();
        using var store = CacheStore.Open(location, new PlainObserver(consoles.Error, settings.Verbose));
        var entries = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Format == OutputFormat.Json)
        {
            object? Json(CacheEntry? e) => e is null ? null : new { key = e.Key.Value, bytes = e.Bytes, stored = e.Stored };
            consoles.Out.Profile.Out.Writer.Write(JsonSerializer.Serialize(new
            {
                cache = location.ToString(),
                from = location.Origin,
                reachable = store.Readable,
                entries = entries.Count,
                bytes = entries.Sum(e => e.Bytes),
                oldest = Json(entries.FirstOrDefault()),
                newest = Json(entries.LastOrDefault()),
            }, BuildReport.Json) + "\n");
            return 0;
        }
        var rows = new List<string[]> { new[] { "cache", $"{location} ({location.Origin})" } };
        if (!store.Readable) rows.Add(["state", "cannot be reached"]);
        else
        {
            rows.Add(["entries", entries.Count.ToString(CultureInfo.InvariantCulture)]);
            var total = entries.Sum(e => e.Bytes);
            rows.Add(["size", $"{Bytes.Format(total)} ({Bytes.Exact(total)})"]);
            if (entries.Count > 0)
            {
                rows.Add(["oldest", Describe(entries[0])]);
                rows.Add(["newest", Describe(entries[^1])]);
            }
        }
        var sb = new StringBuilder();
        foreach (var row in rows) sb.Append(CultureInfo.InvariantCulture, $"{row[0],-8} {row[1]}").Append('\n');
        consoles.Out.Profile.Out.Writer.Write(sb.ToString());
        return 0;
    }

    internal static string Describe(CacheEntry e) =>
        $"{e.Stored.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC  {e.Key.Value[..Math.Min(16, e.Key.Value.Length)]}  {Bytes.Format(e.Bytes)}";
}
