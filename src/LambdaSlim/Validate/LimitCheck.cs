using LambdaSlim.Report;

namespace LambdaSlim.Validate;

public enum Severity { Error, Warning, Info }

public sealed record Finding(Severity Severity, string Subject, string Message);

/// <summary>Checks a build report against AWS's hard limits. Pure: the report in, findings out.</summary>
public static class LimitCheck
{
    public static IReadOnlyList<Finding> Check(BuildReport report)
    {
        var findings = new List<Finding>();
        foreach (var fn in report.Totals)
        {
            if (fn.Layers.Count > SizeLimits.MaxLayersPerFunction)
                findings.Add(new(Severity.Error, fn.LogicalId,
                    $"uses {fn.Layers.Count} layers; Lambda allows {SizeLimits.MaxLayersPerFunction}: merge layers"));
            if (fn.TotalUnzippedBytes > SizeLimits.TotalUnzippedBytes)
                findings.Add(new(Severity.Error, fn.LogicalId,
                    $"function plus layers is {Bytes.Format(fn.TotalUnzippedBytes)} unzipped, over Lambda's {Bytes.Format(SizeLimits.TotalUnzippedBytes)} by {Bytes.Format(fn.TotalUnzippedBytes - SizeLimits.TotalUnzippedBytes)}: move packages to a layer other functions don't load, or prune"));
            if (fn.TotalIsLowerBound)
                findings.Add(new(Severity.Info, fn.LogicalId, "uses layers from outside the template; their size is not counted, so the total is a lower bound"));
        }
        foreach (var a in report.Layers.Concat(report.Functions))
        {
            if (a.ZippedBytes > SizeLimits.DirectUploadZippedBytes)
                findings.Add(new(Severity.Warning, a.LogicalId,
                    $"zip is {Bytes.Format(a.ZippedBytes)}, over the {Bytes.Format(SizeLimits.DirectUploadZippedBytes)} direct-upload limit: it must be deployed through S3 (sam deploy does this), or try --compression smallest"));
        }
        return findings;
    }
}

public static class Bytes
{
    public static string Format(long bytes) => bytes switch
    {
        >= 1_000_000 => $"{bytes / 1_000_000.0:0.0} MB",
        >= 1_000 => $"{bytes / 1_000.0:0.0} kB",
        _ => $"{bytes} B",
    };
}
