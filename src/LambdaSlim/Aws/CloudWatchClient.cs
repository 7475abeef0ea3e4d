using System.Globalization;
using System.Xml.Linq;

namespace LambdaSlim.Aws;

/// <summary>
/// The CloudWatch metrics Query API (form-encoded POST, XML answers, version 2010-08-01), for the operations
/// LambdaSlim needs: putting its metrics, and reading them and their alarms back. Errors come out as
/// <see cref="LambdaSlimException"/>s.
/// </summary>
public sealed class CloudWatchClient(AwsSession session) : IDisposable
{
    private const string Version = "2010-08-01";

    /// <summary>Data points per PutMetricData call: well under the API's limit, so any emulator takes them too.</summary>
    public const int MaxDataPerCall = 20;

    private readonly AwsHttpSender _sender = session.Sender("monitoring", "CLOUDWATCH", "monitoring");

    public async Task PutMetricDataAsync(string metricNamespace, IReadOnlyList<MetricDatum> data, CancellationToken cancellationToken = default)
    {
        foreach (var batch in data.Chunk(MaxDataPerCall))
        {
            var form = new List<KeyValuePair<string, string>> { new("Namespace", metricNamespace) };
            for (var i = 0; i < batch.Length; i++)
            {
                var member = $"MetricData.member.{i + 1}";
                var datum = batch[i];
                form.Add(new($"{member}.MetricName", datum.MetricName));
                form.Add(new($"{member}.Value", datum.Value.ToString("R", CultureInfo.InvariantCulture)));
                form.Add(new($"{member}.Unit", datum.Unit));
                form.Add(new($"{member}.Timestamp", Iso(datum.Timestamp)));
                AddDimensions(form, $"{member}.Dimensions", datum.Dimensions);
            }
            await CallAsync("PutMetricData", form, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The metric's statistics per period between two times, oldest first.</summary>
    public async Task<IReadOnlyList<MetricDatapoint>> GetMetricStatisticsAsync(string metricNamespace, string metricName, IReadOnlyList<MetricDimension> dimensions,
        DateTimeOffset start, DateTimeOffset end, TimeSpan period, IReadOnlyList<string> statistics, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("Namespace", metricNamespace), new("MetricName", metricName), new("StartTime", Iso(start)), new("EndTime", Iso(end)),
            new("Period", ((int)period.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
        };
        AddDimensions(form, "Dimensions", dimensions);
        for (var i = 0; i < statistics.Count; i++) form.Add(new($"Statistics.member.{i + 1}", statistics[i]));
        var result = await CallAsync("GetMetricStatistics", form, cancellationToken).ConfigureAwait(false);
        return [.. result.Members("Datapoints")
            .Select(p => new MetricDatapoint(p.Time("Timestamp"), p.Text("Unit"), Number(p, "Maximum"), Number(p, "Minimum"), Number(p, "Average"), Number(p, "Sum"), Number(p, "SampleCount")))
            .OrderBy(p => p.Timestamp)];
    }

    /// <summary>The dimension sets a metric has been put with, all pages.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<MetricDimension>>> ListMetricsAsync(string metricNamespace, string metricName, CancellationToken cancellationToken = default)
    {
        var metrics = new List<IReadOnlyList<MetricDimension>>();
        string? next = null;
        do
        {
            var form = new List<KeyValuePair<string, string>> { new("Namespace", metricNamespace), new("MetricName", metricName) };
            if (next is not null) form.Add(new("NextToken", next));
            var result = await CallAsync("ListMetrics", form, cancellationToken).ConfigureAwait(false);
            metrics.AddRange(result.Members("Metrics").Select(Dimensions));
            next = result.Text("NextToken");
        }
        while (next is not null);
        return metrics;
    }

    /// <summary>The alarms that watch a metric with exactly these dimensions.</summary>
    public async Task<IReadOnlyList<MetricAlarm>> DescribeAlarmsForMetricAsync(string metricNamespace, string metricName, IReadOnlyList<MetricDimension> dimensions, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>> { new("Namespace", metricNamespace), new("MetricName", metricName) };
        AddDimensions(form, "Dimensions", dimensions);
        var result = await CallAsync("DescribeAlarmsForMetric", form, cancellationToken).ConfigureAwait(false);
        return [.. result.Members("MetricAlarms").Select(a => new MetricAlarm(a.Required("AlarmName"), a.Text("Namespace"), a.Text("MetricName"), Dimensions(a),
            a.Text("Statistic"), Number(a, "Threshold"), a.Text("ComparisonOperator"), a.Text("StateValue")))];
    }

    private static void AddDimensions(List<KeyValuePair<string, string>> form, string list, IReadOnlyList<MetricDimension> dimensions)
    {
        for (var i = 0; i < dimensions.Count; i++)
        {
            form.Add(new($"{list}.member.{i + 1}.Name", dimensions[i].Name));
            form.Add(new($"{list}.member.{i + 1}.Value", dimensions[i].Value));
        }
    }

    private static List<MetricDimension> Dimensions(XElement parent) =>
        [.. parent.Members("Dimensions").Select(d => new MetricDimension(d.Required("Name"), d.Required("Value")))];

    private static double? Number(XElement parent, string name) =>
        double.TryParse(parent.Text(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private async Task<XElement> CallAsync(string action, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        form.Insert(0, new("Action", action));
        form.Insert(1, new("Version", Version));
        try
        {
            var body = await _sender.SendAsync(action, () => new HttpRequestMessage(HttpMethod.Post, _sender.Endpoint) { Content = new FormUrlEncodedContent(form) },
                cancellationToken).ConfigureAwait(false);
            return QueryXml.Result(body, action);
        }
        catch (AwsRequestException e)
        {
            throw session.Explain(e);
        }
    }

    public void Dispose() => _sender.Dispose();
}
