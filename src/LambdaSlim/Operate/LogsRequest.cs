using LambdaSlim.Aws;

namespace LambdaSlim.Operate;

/// <summary>Whose logs `lambdaslim logs` reads, and where.</summary>
public sealed record LogsRequest
{
    /// <summary>A logical ID of the stack's template, or the function's name in Lambda.</summary>
    public required string Function { get; init; }

    /// <summary>The stack that resolves a logical ID; without one, <see cref="Function"/> is the name in Lambda.</summary>
    public string? StackName { get; init; }

    public AwsOptions Aws { get; init; } = AwsOptions.Default;

    /// <summary>At most this many events per read, so that a wide --since on a busy function stays bounded.</summary>
    public int MaxEvents { get; init; } = 10_000;

    /// <summary>How often --tail asks for new events.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where the AWS settings come from (the process's environment by default; tests give their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
