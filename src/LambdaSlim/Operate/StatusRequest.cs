using LambdaSlim.Aws;

namespace LambdaSlim.Operate;

/// <summary>What `lambdaslim status` looks at: a deployed stack, against the project's last build.</summary>
public sealed record StatusRequest
{
    public required string ProjectDir { get; init; }
    public required string StackName { get; init; }
    public AwsOptions Aws { get; init; } = AwsOptions.Default;

    /// <summary>How many of the stack's latest events to show.</summary>
    public int Events { get; init; } = 10;

    /// <summary>How often `--follow` reads the stack's events.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
