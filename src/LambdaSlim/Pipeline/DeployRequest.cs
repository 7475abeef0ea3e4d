using LambdaSlim.Aws;

namespace LambdaSlim.Pipeline;

/// <summary>What `lambdaslim deploy` deploys, where, and how: the committed build of a project, to one stack.</summary>
public sealed record DeployRequest
{
    public required string ProjectDir { get; init; }
    public required string StackName { get; init; }
    public AwsOptions Aws { get; init; } = AwsOptions.Default;

    /// <summary>The artifact bucket; null creates (or reuses) lambdaslim-artifacts-ACCOUNT-REGION.</summary>
    public string? Bucket { get; init; }
    public string Prefix { get; init; } = "";

    /// <summary>Create the change set and show it, but do not execute it.</summary>
    public bool NoExecute { get; init; }

    /// <summary>When layers and functions both change, publish the layers by a first change set and move the functions onto them by a second.</summary>
    public bool LayersFirst { get; init; }

    /// <summary>Keep this deploy, when it succeeds, as the release `lambdaslim rollback` returns to after the next one (--enable-rollback).</summary>
    public bool KeepForRollback { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>How often the stack's events are read while it deploys.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where the AWS settings come from (the process's environment by default; tests give their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
