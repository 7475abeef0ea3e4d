namespace LambdaSlim.Operate;

/// <summary>The build writes sha256 as hex; Lambda's CodeSha256 is the same digest in base64.</summary>
public static class SyncSha
{
    public static string ToLambda(string hex) => Convert.ToBase64String(Convert.FromHexString(hex));

    /// <summary>Lambda's base64 form back to hex; null when it is not a sha256.</summary>
    public static string? FromLambda(string? base64)
    {
        if (base64 is null) return null;
        var bytes = new byte[32];
        return Convert.TryFromBase64String(base64, bytes, out var n) && n == 32 ? Convert.ToHexStringLower(bytes) : null;
    }
}
