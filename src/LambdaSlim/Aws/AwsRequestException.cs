using System.Net;

namespace LambdaSlim.Aws;

/// <summary>
/// An error answer from an AWS API, as the service named it. It stays inside Aws/: the clients turn it into a
/// <see cref="LambdaSlimException"/> (<see cref="AwsErrors"/>) unless the code is an answer they expect, like "does not exist".
/// </summary>
public sealed class AwsRequestException(string service, string operation, HttpStatusCode status, string code, string awsMessage)
    : Exception($"{service} {operation}: {code}: {awsMessage}")
{
    public string Service { get; } = service;
    public string Operation { get; } = operation;
    public HttpStatusCode Status { get; } = status;
    public string Code { get; } = code;
    public string AwsMessage { get; } = awsMessage;

    public bool IsRetryable => AwsErrors.IsThrottling(Code) || (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests;
}
