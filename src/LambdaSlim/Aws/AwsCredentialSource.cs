using Amazon.Runtime;

namespace LambdaSlim.Aws;

/// <summary>Credentials and the place they came from, named the way a user would look for it.</summary>
public sealed record AwsCredentialSource(AWSCredentials Credentials, string Source);
