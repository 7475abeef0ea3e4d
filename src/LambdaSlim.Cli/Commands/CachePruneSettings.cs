using System.ComponentModel;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>`cache prune`: how much to keep, by size, by age, or both.</summary>
public sealed class CachePruneSettings : CacheSettings
{
    [CommandOption("--max-size <SIZE>")]
    [Description("Remove the oldest entries until the cache holds at most this much: 5GB, 500MB, 2GiB")]
    public string? MaxSize { get; init; }

    [CommandOption("--older-than <AGE>")]
    [Description("Remove entries stored longer ago than this: 30d, 12h, 45m")]
    public string? OlderThan { get; init; }

    public override Spectre.Console.ValidationResult Validate() =>
        MaxSize is null && OlderThan is null
            ? Spectre.Console.ValidationResult.Error("cache prune needs --max-size SIZE, --older-than AGE, or both")
            : base.Validate();
}
