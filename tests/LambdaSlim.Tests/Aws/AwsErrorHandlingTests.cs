using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

/// <summary>Retries and error messages, against a local endpoint that answers as CloudFormation does when it throttles or rejects.</summary>
public class AwsErrorHandlingTests
{
    private const string DescribeStacks = """
        <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStacksResult><Stacks><member>
            <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/app/1</StackId><StackName>app</StackName>
            <StackStatus>UPDATE_COMPLETE</StackStatus>
            <Outputs><member><OutputKey>Url</OutputKey><OutputValue>https://x</OutputValue></member></Outputs>
          </member></Stacks></DescribeStacksResult>
        </DescribeStacksResponse>
        """;

    private static AwsSession Session(FakeAwsEndpoint fake, int attempts = 4) => AwsSession.Open(
        AwsOptions.Default with { EndpointUrl = fake.Endpoint, MaxAttempts = attempts, RetryBaseDelay = TimeSpan.FromMilliseconds(5), RetryMaxDelay = TimeSpan.FromMilliseconds(20) },
        k => k switch
        {
            "AWS_ACCESS_KEY_ID" => "AKIAEXAMPLE",
            "AWS_SECRET_ACCESS_KEY" => "secret",
            "AWS_REGION" => "us-east-1",
            _ => null,
        });

    [Fact]
    public async Task Throttling_is_retried_with_a_freshly_signed_request_until_it_succeeds()
    {
        var throttled = (400, FakeAwsEndpoint.QueryError("Throttling", "Rate exceeded"));
        using var fake = new FakeAwsEndpoint(throttled, throttled, (200, DescribeStacks));
        using var cfn = new CloudFormationClient(Session(fake));

        var stack = await cfn.DescribeStackAsync("app");

        stack.ShouldNotBeNull().Status.ShouldBe("UPDATE_COMPLETE");
        stack.Outputs["Url"].ShouldBe("https://x");
        fake.Authorizations.Count.ShouldBe(3);
        fake.Authorizations.ShouldAllBe(a => a.StartsWith("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/") && a.Contains("/us-east-1/cloudformation/aws4_request"));
    }

    [Fact]
    public async Task Throttling_that_never_ends_stops_after_the_bounded_attempts_with_one_line()
    {
        using var fake = new FakeAwsEndpoint { Otherwise = (400, FakeAwsEndpoint.QueryError("Throttling", "Rate exceeded")) };
        using var cfn = new CloudFormationClient(Session(fake, attempts: 3));

        var e = await Should.ThrowAsync<LambdaSlimException>(() => cfn.DescribeStackEventsAsync("app"));

        fake.Authorizations.Count.ShouldBe(3);
        e.ExitCode.ShouldBe(ExitCode.AwsFailed);
        e.Message.ShouldContain("throttling cloudformation DescribeStackEvents");
    }

    [Fact]
    public async Task An_expired_token_is_not_retried_and_says_to_refresh_the_credentials_it_names()
    {
        using var fake = new FakeAwsEndpoint((403, FakeAwsEndpoint.QueryError("ExpiredToken", "The security token included in the request is expired")));
        using var cfn = new CloudFormationClient(Session(fake));

        var e = await Should.ThrowAsync<LambdaSlimException>(() => cfn.DeleteStackAsync("app"));

        fake.Authorizations.Count.ShouldBe(1);
        e.ExitCode.ShouldBe(ExitCode.ConfigError);
        e.Message.ShouldContain("environment variables");
        e.Message.ShouldContain("ExpiredToken");
        e.Hint!.ShouldContain("expired");
    }

    [Fact]
    public async Task A_stack_that_does_not_exist_is_null_and_access_denied_names_the_operation()
    {
        using var fake = new FakeAwsEndpoint(
            (400, FakeAwsEndpoint.QueryError("ValidationError", "Stack with id app does not exist")),
            (403, FakeAwsEndpoint.QueryError("AccessDenied", "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudformation:ExecuteChangeSet")));
        using var cfn = new CloudFormationClient(Session(fake));

        (await cfn.DescribeStackAsync("app")).ShouldBeNull();
        var e = await Should.ThrowAsync<LambdaSlimException>(() => cfn.ExecuteChangeSetAsync("app", "cs"));
        e.ExitCode.ShouldBe(ExitCode.AwsFailed);
        e.Message.ShouldContain("denied cloudformation ExecuteChangeSet");
        e.Hint!.ShouldContain("lambdaslim policy");
    }

    [Fact]
    public async Task An_endpoint_that_is_not_there_fails_in_one_line_after_the_retries()
    {
        int port;
        using (var gone = new FakeAwsEndpoint()) port = gone.Port; // started and stopped: nothing listens there now
        var session = AwsSession.Open(AwsOptions.Default with { EndpointUrl = $"http://127.0.0.1:{port}", MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(5) },
            k => k switch { "AWS_ACCESS_KEY_ID" => "a", "AWS_SECRET_ACCESS_KEY" => "b", "AWS_REGION" => "us-east-1", _ => null });
        using var lambda = new LambdaClient(session);

        var e = await Should.ThrowAsync<LambdaSlimException>(() => lambda.GetFunctionAsync("fn"));
        e.ExitCode.ShouldBe(ExitCode.AwsFailed);
        e.Message.ShouldContain($"cannot reach http://127.0.0.1:{port}");
    }
}
