using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

public static class MotoSessions
{
    /// <summary>A session on the moto server, from the environment a user would set for it.</summary>
    public static AwsSession Open(MotoServer moto, string? region = null)
    {
        var env = moto.ClientEnvironment;
        return AwsSession.Open(AwsOptions.Default with { Region = region, RetryBaseDelay = TimeSpan.FromMilliseconds(20) }, k => env.GetValueOrDefault(k));
    }
}
