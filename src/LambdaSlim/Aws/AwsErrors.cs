namespace LambdaSlim.Aws;

/// <summary>AWS's error codes, mapped to one line that says what went wrong and what to do.</summary>
public static class AwsErrors
{
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    };

    private static readonly HashSet<string> BadCredentials = new(StringComparer.Ordinal)
    {
        "ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId", "UnrecognizedClientException",
        "SignatureDoesNotMatch", "InvalidSignatureException", "InvalidAccessKeyId", "IncompleteSignature", "AuthFailure",
        "MissingAuthenticationToken",
    };

    private static readonly HashSet<string> Denied = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "InsufficientCapabilitiesException",
    };

    public static bool IsThrottling(string code) => Throttling.Contains(code);

    /// <param name="credentialSource">Where the credentials came from, so an expired token names what to refresh.</param>
    public static LambdaSlimException ToException(AwsRequestException e, string credentialSource)
    {
        var what = $"{e.Service} {e.Operation}";
        var said = $"{e.Code}: {AwsCredentialChain.FirstLine(e.AwsMessage)}";
        if (BadCredentials.Contains(e.Code))
        {
            return new(ExitCode.ConfigError, $"AWS rejected the credentials from {credentialSource} for {what} ({said})",
                e.Code.StartsWith("Expired", StringComparison.Ordinal) || e.Code == "RequestExpired"
                    ? "they have expired: refresh them (aws sso login, or new session keys)"
                    : "check the access key, secret and session token, and the machine's clock", e);
        }
        if (Denied.Contains(e.Code))
        {
            return new(ExitCode.AwsFailed, $"AWS denied {what} to the credentials from {credentialSource} ({said})",
                "grant the permission to that identity (lambdaslim policy prints what a deploy needs)", e);
        }
        if (IsThrottling(e.Code))
            return new(ExitCode.AwsFailed, $"AWS kept throttling {what} after every retry ({said})", "try again in a minute", e);
        if ((int)e.Status >= 500)
            return new(ExitCode.AwsFailed, $"AWS failed {what} after every retry ({said})", "try again later; check the AWS Health Dashboard", e);
        return e.Code switch
        {
            "ValidationError" or "ValidationException" or "InvalidParameterValueException" or "InvalidParameterValue" =>
                new(ExitCode.AwsFailed, $"AWS rejected {what}: {AwsCredentialChain.FirstLine(e.AwsMessage)}", null, e),
            "ResourceNotFoundException" or "NoSuchEntity" or "NoSuchBucket" or "NotFound" =>
                new(ExitCode.AwsFailed, $"{what} found nothing ({said})", "check the name, the account and the region", e),
            "AlreadyExistsException" or "ResourceConflictException" or "OperationInProgressException" =>
                new(ExitCode.AwsFailed, $"{what} conflicts with work in progress ({said})", "wait for it to finish and run again", e),
            _ => new(ExitCode.AwsFailed, $"AWS refused {what} ({said})", null, e),
        };
    }
}
