using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace LambdaSlim.Aws;

/// <summary>
/// Resolved credentials, region and endpoints: every AWS call LambdaSlim makes starts here, so the credential chain,
/// timeouts and retries are the same for all of them.
/// </summary>
public sealed class AwsSession
{
    private readonly Func<string, string?> _environment;
    private string? _account;

    private AwsSession(AwsOptions options, AwsCredentialSource credentials, string region, Func<string, string?> environment)
    {
        Options = options;
        Credentials = credentials.Credentials;
        CredentialSource = credentials.Source;
        Region = region;
        _environment = environment;
    }

    public AwsOptions Options { get; }
    public AWSCredentials Credentials { get; }

    /// <summary>Where the credentials came from ("environment variables", "profile 'dev'"), for messages.</summary>
    public string CredentialSource { get; }

    public string Region { get; }

    /// <summary>Resolves credentials and region; fails with one line naming what was tried when either is missing.</summary>
    public static AwsSession Open(AwsOptions options, Func<string, string?> environment)
    {
        var region = AwsCredentialChain.ResolveRegion(options, environment);
        var credentials = AwsCredentialChain.Resolve(options, environment);
        // SSO and assume-role profiles resolve lazily: an expired SSO login must fail here, in one line, not inside a signer.
        AwsCredentialChain.Check(credentials);
        return new(options, credentials, region, environment);
    }

    /// <summary>
    /// The service's endpoint: <c>--endpoint-url</c>, then <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> and <c>AWS_ENDPOINT_URL</c>
    /// (the SDKs' names), then the region's public endpoint.
    /// </summary>
    /// <param name="serviceId">As in the environment variable's name: CLOUDFORMATION, LAMBDA, S3, STS.</param>
    public Uri Endpoint(string serviceId, string hostPrefix)
    {
        var configured = Options.EndpointUrl is { Length: > 0 } given ? given
            : AwsCredentialChain.Value(_environment, $"AWS_ENDPOINT_URL_{serviceId.ToUpperInvariant()}") ?? AwsCredentialChain.Value(_environment, "AWS_ENDPOINT_URL");
        if (configured is not null)
        {
            return Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw LambdaSlimException.Config($"the endpoint URL '{configured}' is not an http(s) URL", "pass --endpoint-url http://host:port");
        }
        var suffix = RegionEndpoint.GetBySystemName(Region).PartitionDnsSuffix ?? "amazonaws.com";
        return new Uri($"https://{hostPrefix}.{Region}.{suffix}/");
    }

    /// <summary>True when an endpoint was configured: moto and LocalStack want S3 path-style.</summary>
    public bool HasCustomEndpoint(string serviceId) =>
        Options.EndpointUrl is { Length: > 0 }
        || AwsCredentialChain.Value(_environment, $"AWS_ENDPOINT_URL_{serviceId.ToUpperInvariant()}") is not null
        || AwsCredentialChain.Value(_environment, "AWS_ENDPOINT_URL") is not null;

    public AwsHttpSender Sender(string signingService, string serviceId, string hostPrefix) =>
        new(signingService, Endpoint(serviceId, hostPrefix), new(Credentials, CredentialSource), Region, Options);

    /// <summary>The one line a user sees for an AWS error.</summary>
    public LambdaSlimException Explain(AwsRequestException e) => AwsErrors.ToException(e, CredentialSource);

    public AmazonS3Client CreateS3Client()
    {
        var config = new AmazonS3Config
        {
            ConnectTimeout = Options.ConnectTimeout,
            Timeout = Options.RequestTimeout,
            MaxErrorRetry = Math.Max(0, Options.MaxAttempts - 1),
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            IgnoreConfiguredEndpointUrls = true,
        };
        if (HasCustomEndpoint("S3"))
        {
            config.ServiceURL = Endpoint("S3", "s3").ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = Region;
        }
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        return new AmazonS3Client(Credentials, config);
    }

    /// <summary>The caller's account (STS GetCallerIdentity), once per session. Also proves the credentials work.</summary>
    public async Task<string> AccountIdAsync(CancellationToken cancellationToken = default)
    {
        if (_account is not null) return _account;
        using var sts = Sender("sts", "STS", "sts");
        string body;
        try
        {
            body = await sts.SendAsync("GetCallerIdentity", () => new HttpRequestMessage(HttpMethod.Post, sts.Endpoint)
            {
                Content = new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsRequestException e)
        {
            throw Explain(e);
        }
        _account = XDocument.Parse(body).Descendants().FirstOrDefault(e => e.Name.LocalName == "Account")?.Value
            ?? throw new LambdaSlimException(ExitCode.AwsFailed, "STS GetCallerIdentity named no account", "check --endpoint-url");
        return _account;
    }
}
