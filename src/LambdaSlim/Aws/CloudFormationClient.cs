using System.Xml.Linq;

namespace LambdaSlim.Aws;

/// <summary>
/// The CloudFormation Query API (form-encoded POST, XML answers, version 2010-05-15), for the operations a deploy
/// needs and no others. Errors come out as <see cref="LambdaSlimException"/>s, except the answers a deploy expects:
/// a stack that does not exist is <c>null</c>.
/// </summary>
public sealed class CloudFormationClient(AwsSession session) : IDisposable
{
    private const string Version = "2010-05-15";
    private readonly AwsHttpSender _sender = session.Sender("cloudformation", "CLOUDFORMATION", "cloudformation");

    public async Task<CreatedChangeSet> CreateChangeSetAsync(ChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        if ((request.TemplateBody is null) == (request.TemplateUrl is null))
            throw new ArgumentException("give exactly one of TemplateBody and TemplateUrl", nameof(request));
        var form = new List<KeyValuePair<string, string>>
        {
            new("StackName", request.StackName),
            new("ChangeSetName", request.ChangeSetName),
            new("ChangeSetType", request.Type == ChangeSetType.Create ? "CREATE" : "UPDATE"),
            new("Capabilities.member.1", "CAPABILITY_IAM"),
            new("Capabilities.member.2", "CAPABILITY_AUTO_EXPAND"),
        };
        form.Add(request.TemplateBody is not null ? new("TemplateBody", request.TemplateBody) : new("TemplateURL", request.TemplateUrl!));
        if (request.Description is not null) form.Add(new("Description", request.Description));
        var n = 0;
        foreach (var (key, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            n++;
            form.Add(new($"Parameters.member.{n}.ParameterKey", key));
            form.Add(new($"Parameters.member.{n}.ParameterValue", value));
        }
        n = 0;
        foreach (var (key, value) in request.Tags.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            n++;
            form.Add(new($"Tags.member.{n}.Key", key));
            form.Add(new($"Tags.member.{n}.Value", value));
        }
        var result = await CallAsync("CreateChangeSet", form, cancellationToken).ConfigureAwait(false);
        return new(result.Required("Id"), result.Required("StackId"));
    }

    /// <summary>The change set with every page of its changes.</summary>
    public async Task<ChangeSetDescription> DescribeChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default)
    {
        var changes = new List<ResourceChange>();
        string? next = null;
        XElement result;
        do
        {
            var form = new List<KeyValuePair<string, string>> { new("StackName", stackName), new("ChangeSetName", changeSetName) };
            if (next is not null) form.Add(new("NextToken", next));
            result = await CallAsync("DescribeChangeSet", form, cancellationToken).ConfigureAwait(false);
            foreach (var member in result.Members("Changes"))
            {
                if (member.Child("ResourceChange") is not { } change) continue;
                changes.Add(new(change.Required("Action"), change.Required("LogicalResourceId"), change.Text("PhysicalResourceId"),
                    change.Required("ResourceType"), change.Text("Replacement")));
            }
            next = result.Text("NextToken");
        }
        while (next is not null);
        return new(result.Required("ChangeSetId"), result.Required("ChangeSetName"), result.Required("StackId"), result.Required("StackName"),
            result.Required("Status"), result.Text("ExecutionStatus"), result.Text("StatusReason"), changes);
    }

    public Task ExecuteChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default) =>
        CallAsync("ExecuteChangeSet", [new("StackName", stackName), new("ChangeSetName", changeSetName)], cancellationToken);

    public Task DeleteChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default) =>
        CallAsync("DeleteChangeSet", [new("StackName", stackName), new("ChangeSetName", changeSetName)], cancellationToken);

    /// <summary>The stack, or <c>null</c> when it does not exist.</summary>
    public async Task<StackDescription?> DescribeStackAsync(string stackName, CancellationToken cancellationToken = default)
    {
        XElement result;
        try
        {
            result = await CallAsync("DescribeStacks", [new("StackName", stackName)], cancellationToken, expectMissing: true).ConfigureAwait(false);
        }
        catch (AwsRequestException e) when (e.Code == "ValidationError" && e.AwsMessage.Contains("does not exist", StringComparison.Ordinal))
        {
            return null;
        }
        catch (AwsRequestException e)
        {
            throw session.Explain(e);
        }
        if (result.Members("Stacks").FirstOrDefault() is not { } stack) return null;
        return new(stack.Required("StackId"), stack.Required("StackName"), stack.Required("StackStatus"), stack.Text("StackStatusReason"),
            stack.Members("Outputs").ToDictionary(o => o.Required("OutputKey"), o => o.Text("OutputValue") ?? "", StringComparer.Ordinal),
            stack.Members("Parameters").ToDictionary(p => p.Required("ParameterKey"), p => p.Text("ParameterValue") ?? "", StringComparer.Ordinal));
    }

    /// <summary>
    /// The stack's events, newest first as CloudFormation returns them, following pages until an event in
    /// <paramref name="stopAt"/> is reached (the ones a monitor has already seen), <paramref name="maxPages"/> pages were
    /// read, or the pages end.
    /// </summary>
    public async Task<IReadOnlyList<StackEvent>> DescribeStackEventsAsync(string stackName, IReadOnlySet<string>? stopAt = null, int maxPages = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var events = new List<StackEvent>();
        string? next = null;
        var pages = 0;
        do
        {
            if (++pages > maxPages) break;
            var form = new List<KeyValuePair<string, string>> { new("StackName", stackName) };
            if (next is not null) form.Add(new("NextToken", next));
            var result = await CallAsync("DescribeStackEvents", form, cancellationToken).ConfigureAwait(false);
            foreach (var member in result.Members("StackEvents"))
            {
                var e = new StackEvent(member.Required("EventId"), member.Required("StackId"), member.Required("StackName"),
                    member.Required("LogicalResourceId"), member.Text("PhysicalResourceId"), member.Required("ResourceType"),
                    member.Time("Timestamp"), member.Required("ResourceStatus"), member.Text("ResourceStatusReason"));
                if (stopAt?.Contains(e.EventId) == true) return events;
                events.Add(e);
            }
            next = result.Text("NextToken");
        }
        while (next is not null);
        return events;
    }

    public async Task<IReadOnlyList<StackResource>> DescribeStackResourcesAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("DescribeStackResources", [new("StackName", stackName)], cancellationToken).ConfigureAwait(false);
        return [.. result.Members("StackResources").Select(r => new StackResource(r.Required("LogicalResourceId"), r.Text("PhysicalResourceId"),
            r.Required("ResourceType"), r.Required("ResourceStatus"), r.Text("ResourceStatusReason")))];
    }

    /// <summary>The stack's template as it was submitted (the Original stage: a SAM template before its transform).</summary>
    public async Task<string> GetTemplateAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("GetTemplate", [new("StackName", stackName), new("TemplateStage", "Original")], cancellationToken).ConfigureAwait(false);
        return result.Required("TemplateBody");
    }

    public Task DeleteStackAsync(string stackName, CancellationToken cancellationToken = default) =>
        CallAsync("DeleteStack", [new("StackName", stackName)], cancellationToken);

    private async Task<XElement> CallAsync(string action, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken, bool expectMissing = false)
    {
        form.Insert(0, new("Action", action));
        form.Insert(1, new("Version", Version));
        try
        {
            var body = await _sender.SendAsync(action, () => new HttpRequestMessage(HttpMethod.Post, _sender.Endpoint) { Content = new FormUrlEncodedContent(form) },
                cancellationToken).ConfigureAwait(false);
            return QueryXml.Result(body, action);
        }
        catch (AwsRequestException e) when (!(expectMissing && e.Code == "ValidationError"))
        {
            throw session.Explain(e);
        }
    }

    public void Dispose() => _sender.Dispose();

}
