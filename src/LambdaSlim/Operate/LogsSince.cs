using System.Globalization;
using System.Text.RegularExpressions;

namespace LambdaSlim.Operate;

/// <summary>`--since`: a duration back from now (90s, 10m, 1h, 2d, 1w) or a time (ISO 8601; UTC unless it says otherwise).</summary>
public static partial class LogsSince
{
    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        if (Duration().Match(trimmed) is { Success: true } m)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return now - (m.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            });
        }
        if (trimmed.Length > 0 && char.IsAsciiDigit(trimmed[0])
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return time;
        throw new LambdaSlimException(ExitCode.Usage, $"--since '{text}' is neither a duration nor a time",
            "give a duration back from now (30s, 10m, 1h, 2d, 1w) or a time (2026-11-30T08:00:00Z)");
    }

    [GeneratedRegex(@"^(\d{1,6})\s*([smhdw])$")]
    private static partial Regex Duration();
}
