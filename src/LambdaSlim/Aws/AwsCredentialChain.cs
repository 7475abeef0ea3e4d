using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace LambdaSlim.Aws;

/// <summary>
/// Finds credentials the way the AWS CLI and SDKs do, in their order: <c>--profile</c> when given; else the
/// environment's keys, the profile named by <c>AWS_PROFILE</c> (or <c>default</c>) in the shared config and credentials
/// files (static keys, assume-role, SSO, credential_process, all through AWSSDK.Core), web identity, the container role,
/// the instance role. The environment is passed in, so a test or a second session never reads this process's.
/// </summary>
public static class AwsCredentialChain
{
    public static AwsCredentialSource Resolve(AwsOptions options, Func<string, string?> environment)
    {
        var tried = new List<string>();
        var files = SharedFiles.From(environment);
        if (options.Profile is { Length: > 0 } chosen)
        {
            if (FromProfile(chosen, files) is { } named) return named;
            throw LambdaSlimException.Config(
                $"the AWS profile '{chosen}' is not in {files.Credentials} or {files.Config}, or it gives no credentials",
                "check the name (aws configure list-profiles) or configure it (aws configure --profile / aws configure sso)");
        }

        tried.Add("environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
        if (Value(environment, "AWS_ACCESS_KEY_ID") is { } key && Value(environment, "AWS_SECRET_ACCESS_KEY") is { } secret)
        {
            return new(Value(environment, "AWS_SESSION_TOKEN") is { } token
                ? new SessionAWSCredentials(key, secret, token)
                : new BasicAWSCredentials(key, secret), "environment variables");
        }

        var profile = Value(environment, "AWS_PROFILE") ?? Value(environment, "AWS_DEFAULT_PROFILE") ?? "default";
        tried.Add($"profile '{profile}' in {files.Credentials} and {files.Config}");
        if (FromProfile(profile, files) is { } fromFiles) return fromFiles;

        tried.Add("web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)");
        if (Value(environment, "AWS_WEB_IDENTITY_TOKEN_FILE") is { } tokenFile && Value(environment, "AWS_ROLE_ARN") is { } role)
            return new(new AssumeRoleWithWebIdentityCredentials(tokenFile, role, Value(environment, "AWS_ROLE_SESSION_NAME")), "web identity");

        tried.Add("container role (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI)");
        if (Value(environment, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is not null || Value(environment, "AWS_CONTAINER_CREDENTIALS_FULL_URI") is not null)
            return new(new GenericContainerCredentials(), "container role");

        if (!string.Equals(Value(environment, "AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            tried.Add("instance role (EC2 instance metadata)");
            if (InstanceRole() is { } instance) return new(instance, "instance role");
        }

        throw LambdaSlimException.Config(
            $"no AWS credentials found (tried {string.Join("; ", tried)})",
            "set AWS_PROFILE or pass --profile, run `aws configure` or `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }

    /// <summary>Obtains the credentials now (an SSO login, an assumed role), so that a failure is one line naming the source.</summary>
    public static void Check(AwsCredentialSource source)
    {
        try
        {
            if (source.Credentials.GetCredentials() is not { AccessKey.Length: > 0 })
                throw LambdaSlimException.Config($"the AWS credentials from {source.Source} are empty", "configure them (aws configure) or pass --profile");
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException or InvalidOperationException or HttpRequestException or IOException)
        {
            throw Unobtainable(source, e);
        }
    }

    internal static LambdaSlimException Unobtainable(AwsCredentialSource source, Exception e) => new(ExitCode.ConfigError,
        $"the AWS credentials from {source.Source} cannot be obtained ({FirstLine(e.Message)})",
        source.Source.StartsWith("profile", StringComparison.Ordinal)
            ? $"for an SSO profile run `aws sso login --{source.Source.Replace("'", "", StringComparison.Ordinal)}`; otherwise check the profile's role and source"
            : "refresh them, or choose others with --profile", e);

    /// <summary>The region: <c>--region</c>, then AWS_REGION, AWS_DEFAULT_REGION, then the profile's <c>region</c>.</summary>
    public static string ResolveRegion(AwsOptions options, Func<string, string?> environment)
    {
        if (options.Region is { Length: > 0 } region) return region;
        if ((Value(environment, "AWS_REGION") ?? Value(environment, "AWS_DEFAULT_REGION")) is { } fromEnvironment) return fromEnvironment;
        var profile = options.Profile is { Length: > 0 } p ? p : Value(environment, "AWS_PROFILE") ?? Value(environment, "AWS_DEFAULT_PROFILE") ?? "default";
        var files = SharedFiles.From(environment);
        if (files.TryGetProfile(profile) is { Region: { } fromProfile }) return fromProfile.SystemName;
        throw LambdaSlimException.Config(
            $"no AWS region given (tried --region, AWS_REGION, AWS_DEFAULT_REGION and profile '{profile}' in {files.Config})",
            "pass --region or set AWS_REGION");
    }

    private static AwsCredentialSource? FromProfile(string name, SharedFiles files)
    {
        if (files.TryGetProfile(name) is not { } profile) return null;
        try
        {
            return AWSCredentialsFactory.TryGetAWSCredentials(profile, files.Store, out var credentials) && credentials is not null
                ? new(credentials, $"profile '{name}'")
                : null;
        }
        catch (Exception e) when (e is AmazonClientException or InvalidOperationException or ArgumentException)
        {
            throw LambdaSlimException.Config($"the AWS profile '{name}' cannot give credentials ({FirstLine(e.Message)})",
                "fix the profile, or for SSO run `aws sso login --profile " + name + "`");
        }
    }

    private static InstanceProfileAWSCredentials? InstanceRole()
    {
        try
        {
            var instance = new InstanceProfileAWSCredentials();
            return instance.GetCredentials() is { AccessKey.Length: > 0 } ? instance : null;
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException or HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            return null;
        }
    }

    internal static string? Value(Func<string, string?> environment, string name) => environment(name) is { Length: > 0 } v ? v : null;

    internal static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');

    /// <summary>The shared credentials file and config file, where the environment says they are.</summary>
    private sealed record SharedFiles(string Credentials, string Config)
    {
        private SharedCredentialsFile? _store;

        public static SharedFiles From(Func<string, string?> environment)
        {
            var home = Value(environment, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return new(
                Value(environment, "AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(home, ".aws", "credentials"),
                Value(environment, "AWS_CONFIG_FILE") ?? Path.Combine(home, ".aws", "config"));
        }

        public SharedCredentialsFile Store => _store ??= Open();

        public CredentialProfile? TryGetProfile(string name)
        {
            if (!IsFile(Credentials) && !IsFile(Config)) return null;
            try
            {
                return Store.TryGetProfile(name, out var profile) ? profile : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or AmazonClientException)
            {
                throw LambdaSlimException.Config($"the AWS config files cannot be read ({FirstLine(e.Message)})", $"check {Credentials} and {Config}");
            }
        }

        // The SDK reads the config file named by AWS_CONFIG_FILE in this process's environment, or the one next to the
        // credentials file: a missing credentials file is given as a path in the config file's folder so that it finds that one.
        private SharedCredentialsFile Open() => new(IsFile(Credentials) ? Credentials : Path.Combine(Path.GetDirectoryName(Config) ?? ".", "credentials"));

        private static bool IsFile(string path) => File.Exists(path) && new FileInfo(path).Length > 0;
    }
}
