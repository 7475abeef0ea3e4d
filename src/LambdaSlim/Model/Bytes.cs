namespace LambdaSlim.Model;

public static class Bytes
{
    public static string Exact(long bytes) => bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " bytes";

    public static string Format(long bytes) => bytes switch
    {
        >= 1_000_000 => $"{bytes / 1_000_000.0:0.0} MB",
        >= 1_000 => $"{bytes / 1_000.0:0.0} kB",
        _ => $"{bytes} B",
    };
}
