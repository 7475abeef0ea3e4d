using System.Net;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace LambdaSlim.Aws;

/// <summary>
/// Sends requests to one AWS service, signed with SigV4 by AWSSDK.Core's <see cref="SigV4SigningHandler"/>.
/// Throttling, 5xx answers, dropped connections and timeouts are retried with full-jitter exponential backoff, a bounded
/// number of times; every attempt is a fresh, freshly signed request. An error answer comes back as an
/// <see cref="AwsRequestException"/> carrying the service's error code.
/// </summary>
public sealed class AwsHttpSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly AwsOptions _options;
    private readonly AwsCredentialSource _credentials;

    public AwsHttpSender(string signingService, Uri endpoint, AwsCredentialSource credentials, string region, AwsOptions options)
    {
        Service = signingService;
        Endpoint = endpoint;
        _options = options;
        _credentials = credentials;
        var transport = new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(new SigV4SigningHandler(credentials.Credentials, RegionEndpoint.GetBySystemName(region), signingService, transport))
        {
            Timeout = options.RequestTimeout,
        };
    }

    public string Service { get; }
    public Uri Endpoint { get; }

    /// <param name="request">Builds the request; called once per attempt, since a sent request cannot be sent again.</param>
    /// <returns>The body of the successful answer.</returns>
    public async Task<string> SendAsync(string operation, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= Math.Max(1, _options.MaxAttempts);
            try
            {
                using var message = request();
                using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return body;
                var (code, text) = ParseError(response, body);
                var error = new AwsRequestException(Service, operation, response.StatusCode, code, text);
                if (!error.IsRetryable || last) throw error;
            }
            catch (AmazonClientException e)
            {
                // The signer refreshes credentials (an assumed role, an SSO session) as they expire; that can fail mid-run.
                throw AwsCredentialChain.Unobtainable(_credentials, e);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (last)
                {
                    throw new LambdaSlimException(ExitCode.AwsFailed,
                        $"cannot reach {Endpoint.GetLeftPart(UriPartial.Authority)} for {Service} {operation} after {attempt} attempts ({Why(e)})",
                        "check the network, --region and --endpoint-url", e);
                }
            }
            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Full jitter: a random delay up to the capped exponential, so many clients do not retry in step.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    /// <summary>The error code and message, from the Query API's XML, the REST APIs' JSON, or the x-amzn-ErrorType header.</summary>
    internal static (string Code, string Message) ParseError(HttpResponseMessage response, string body)
    {
        string? code = null, message = null;
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var types)) code = types.First().Split(':')[0];
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('<'))
        {
            try
            {
                var xml = XDocument.Parse(trimmed);
                code ??= xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
                message = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            }
            catch (XmlException) { }
        }
        else if (trimmed.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(trimmed);
                foreach (var p in json.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String) continue;
                    if (p.NameEquals("__type") || p.NameEquals("code") || p.NameEquals("Code")) code ??= p.Value.GetString()!.Split('#')[^1];
                    else if (p.NameEquals("message") || p.NameEquals("Message") || p.NameEquals("errorMessage")) message ??= p.Value.GetString();
                }
            }
            catch (JsonException) { }
        }
        code ??= response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => "TooManyRequestsException",
            HttpStatusCode.Forbidden => "AccessDenied",
            HttpStatusCode.NotFound => "NotFound",
            _ => $"Http{(int)response.StatusCode}",
        };
        message ??= response.ReasonPhrase is { Length: > 0 } phrase ? phrase : trimmed.Length > 200 ? trimmed[..200] : trimmed;
        return (code, message);
    }

    private static string Why(Exception e)
    {
        if (e is TaskCanceledException) return "timed out";
        while (e.InnerException is not null) e = e.InnerException;
        return AwsCredentialChain.FirstLine(e.Message);
    }

    public void Dispose() => _http.Dispose();
}
