using System.Text.Json;
using System.Text.Json.Nodes;

namespace LambdaSlim.Aws;

/// <summary>
/// The Lambda REST API (JSON; functions under 2015-03-31, layers under 2018-10-31), for the operations LambdaSlim needs
/// and no others. Errors come out as <see cref="LambdaSlimException"/>s, except "not found", which is <c>null</c>.
/// </summary>
public sealed class LambdaClient(AwsSession session) : IDisposable
{
    private readonly AwsHttpSender _sender = session.Sender("lambda", "LAMBDA", "lambda");

    /// <summary>The layer version an ARN names, with its size and a download URL; <c>null</c> when there is none.</summary>
    public async Task<LayerVersionInfo?> GetLayerVersionByArnAsync(string layerVersionArn, CancellationToken cancellationToken = default)
    {
        using var json = await GetAsync("GetLayerVersionByArn", $"2018-10-31/layers?find=LayerVersion&Arn={Uri.EscapeDataString(layerVersionArn)}", cancellationToken).ConfigureAwait(false);
        if (json is null) return null;
        if (String(json.RootElement, "LayerVersionArn") is not null) return Layer(json.RootElement);
        // An emulator that does not know find=LayerVersion (moto 5.2) answers with ListLayers. GetLayerVersion takes the
        // layer's ARN as its name, needs the same permission (lambda:GetLayerVersion) and gives the same answer.
        var split = layerVersionArn.LastIndexOf(':');
        if (split < 0 || !long.TryParse(layerVersionArn.AsSpan(split + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            throw LambdaSlimException.Input($"'{layerVersionArn}' is not a layer version ARN", "give arn:aws:lambda:<region>:<account>:layer:<name>:<version>");
        using var byName = await GetAsync("GetLayerVersion", $"2018-10-31/layers/{Uri.EscapeDataString(layerVersionArn[..split])}/versions/{version}", cancellationToken).ConfigureAwait(false);
        return byName is null || String(byName.RootElement, "LayerVersionArn") is null ? null : Layer(byName.RootElement);
    }

    /// <summary>Every version of a layer, newest first, all pages; empty when the layer does not exist.</summary>
    public async Task<IReadOnlyList<LayerVersionInfo>> ListLayerVersionsAsync(string layerName, string? compatibleRuntime = null, string? compatibleArchitecture = null, CancellationToken cancellationToken = default)
    {
        var versions = new List<LayerVersionInfo>();
        string? marker = null;
        do
        {
            var query = new List<string>();
            if (compatibleRuntime is not null) query.Add($"CompatibleRuntime={Uri.EscapeDataString(compatibleRuntime)}");
            if (compatibleArchitecture is not null) query.Add($"CompatibleArchitecture={Uri.EscapeDataString(compatibleArchitecture)}");
            if (marker is not null) query.Add($"Marker={Uri.EscapeDataString(marker)}");
            var path = $"2018-10-31/layers/{Uri.EscapeDataString(layerName)}/versions" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            using var json = await GetAsync("ListLayerVersions", path, cancellationToken).ConfigureAwait(false);
            if (json is null) return versions;
            if (json.RootElement.TryGetProperty("LayerVersions", out var list) && list.ValueKind == JsonValueKind.Array)
                versions.AddRange(list.EnumerateArray().Select(Layer));
            marker = String(json.RootElement, "NextMarker");
        }
        while (marker is not null);
        return versions;
    }

    /// <summary>The names of the account's layers in the region, all pages.</summary>
    public async Task<IReadOnlyList<string>> ListLayerNamesAsync(CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        string? marker = null;
        do
        {
            var path = "2018-10-31/layers" + (marker is null ? "" : $"?Marker={Uri.EscapeDataString(marker)}");
            using var json = await GetAsync("ListLayers", path, cancellationToken).ConfigureAwait(false);
            if (json is null) return names;
            if (json.RootElement.TryGetProperty("Layers", out var list) && list.ValueKind == JsonValueKind.Array)
                names.AddRange(list.EnumerateArray().Select(l => String(l, "LayerName")).OfType<string>());
            marker = String(json.RootElement, "NextMarker");
        }
        while (marker is not null);
        return names;
    }

    /// <summary>A function's configuration and code location; <c>null</c> when there is no such function.</summary>
    public async Task<FunctionInfo?> GetFunctionAsync(string functionName, CancellationToken cancellationToken = default)
    {
        using var json = await GetAsync("GetFunction", $"2015-03-31/functions/{Uri.EscapeDataString(functionName)}", cancellationToken).ConfigureAwait(false);
        if (json is null) return null;
        var root = json.RootElement;
        return Function(root.TryGetProperty("Configuration", out var c) ? c : root, functionName, root.TryGetProperty("Code", out var k) ? k : default);
    }

    /// <summary>A function's configuration alone (its code's sha256, layers, and update state); <c>null</c> when there is no such function.</summary>
    public async Task<FunctionInfo?> GetFunctionConfigurationAsync(string functionName, CancellationToken cancellationToken = default)
    {
        using var json = await GetAsync("GetFunctionConfiguration", $"2015-03-31/functions/{Uri.EscapeDataString(functionName)}/configuration", cancellationToken).ConfigureAwait(false);
        return json is null ? null : Function(json.RootElement, functionName);
    }

    /// <summary>Publishes a new version of the layer (creating the layer when it has none) with this code.</summary>
    public async Task<LayerVersionInfo> PublishLayerVersionAsync(string layerName, LambdaCode code, string? description, IReadOnlyList<string> compatibleRuntimes,
        IReadOnlyList<string> compatibleArchitectures, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["Content"] = await code.ToJsonAsync(cancellationToken).ConfigureAwait(false) };
        if (description is not null) body["Description"] = description;
        if (compatibleRuntimes.Count > 0) body["CompatibleRuntimes"] = new JsonArray([.. compatibleRuntimes.Select(r => (JsonNode)r)]);
        if (compatibleArchitectures.Count > 0) body["CompatibleArchitectures"] = new JsonArray([.. compatibleArchitectures.Select(a => (JsonNode)a)]);
        using var json = await SendAsync("PublishLayerVersion", HttpMethod.Post, $"2018-10-31/layers/{Uri.EscapeDataString(layerName)}/versions", body, cancellationToken).ConfigureAwait(false);
        return Layer(json.RootElement);
    }

    /// <summary>Replaces the function's code. Lambda then updates it in the background: wait with <see cref="WaitUntilUpdatedAsync"/> before the next change.</summary>
    public async Task<FunctionInfo> UpdateFunctionCodeAsync(string functionName, LambdaCode code, CancellationToken cancellationToken = default)
    {
        var body = await code.ToJsonAsync(cancellationToken).ConfigureAwait(false);
        using var json = await SendAsync("UpdateFunctionCode", HttpMethod.Put, $"2015-03-31/functions/{Uri.EscapeDataString(functionName)}/code", body, cancellationToken).ConfigureAwait(false);
        return Function(json.RootElement, functionName);
    }

    /// <summary>Sets the function's layers, in order (layer version ARNs). Lambda then updates it in the background, as for code.</summary>
    public async Task<FunctionInfo> UpdateFunctionLayersAsync(string functionName, IReadOnlyList<string> layerVersionArns, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["Layers"] = new JsonArray([.. layerVersionArns.Select(a => (JsonNode)a)]) };
        using var json = await SendAsync("UpdateFunctionConfiguration", HttpMethod.Put, $"2015-03-31/functions/{Uri.EscapeDataString(functionName)}/configuration", body, cancellationToken).ConfigureAwait(false);
        return Function(json.RootElement, functionName);
    }

    /// <summary>
    /// Waits until the function is ready for the next change: its State is no longer Pending and its LastUpdateStatus no
    /// longer InProgress (Lambda refuses a change while one is under way). A failed update or a timeout is an error.
    /// </summary>
    public async Task<FunctionInfo> WaitUntilUpdatedAsync(string functionName, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var function = await GetFunctionConfigurationAsync(functionName, cancellationToken).ConfigureAwait(false)
                ?? throw new LambdaSlimException(ExitCode.AwsFailed, $"the function {functionName} disappeared while it was being updated", "check who else changes it, and run again");
            if (function.LastUpdateStatus == "Failed" || function.State == "Failed")
                throw new LambdaSlimException(ExitCode.AwsFailed, $"Lambda could not update the function {functionName}: {function.LastUpdateStatusReason ?? function.StateReason ?? "no reason given"}",
                    "fix what it names and run again");
            if (function.IsSettled) return function;
            if (DateTimeOffset.UtcNow >= deadline)
                throw new LambdaSlimException(ExitCode.AwsFailed, $"the function {functionName} is still updating after {timeout.TotalSeconds:0} s ({function.State}, {function.LastUpdateStatus})",
                    "wait for it to finish and run again");
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JsonDocument?> GetAsync(string operation, string pathAndQuery, CancellationToken cancellationToken)
    {
        var uri = new Uri(_sender.Endpoint, pathAndQuery);
        try
        {
            var body = await _sender.SendAsync(operation, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
            return JsonDocument.Parse(body);
        }
        catch (AwsRequestException e) when (e.Code == "ResourceNotFoundException")
        {
            return null;
        }
        catch (AwsRequestException e)
        {
            throw session.Explain(e);
        }
    }

    private async Task<JsonDocument> SendAsync(string operation, HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken)
    {
        var uri = new Uri(_sender.Endpoint, path);
        var text = body.ToJsonString();
        try
        {
            var answer = await _sender.SendAsync(operation, () => new HttpRequestMessage(method, uri)
            {
                Content = new StringContent(text, System.Text.Encoding.UTF8, "application/json"),
            }, cancellationToken).ConfigureAwait(false);
            return JsonDocument.Parse(answer);
        }
        catch (AwsRequestException e)
        {
            throw session.Explain(e);
        }
    }

    private static FunctionInfo Function(JsonElement config, string functionName, JsonElement code = default)
    {
        var layers = config.TryGetProperty("Layers", out var l) && l.ValueKind == JsonValueKind.Array
            ? l.EnumerateArray().Select(x => String(x, "Arn")).OfType<string>().ToList()
            : [];
        return new(String(config, "FunctionName") ?? functionName, String(config, "FunctionArn") ?? "", String(config, "Runtime"), String(config, "Handler"),
            String(config, "Role"), Long(config, "CodeSize"), String(config, "CodeSha256"), String(config, "PackageType"),
            Strings(config, "Architectures"), layers, code.ValueKind == JsonValueKind.Object ? String(code, "Location") : null)
        {
            State = String(config, "State"),
            StateReason = String(config, "StateReason"),
            LastUpdateStatus = String(config, "LastUpdateStatus"),
            LastUpdateStatusReason = String(config, "LastUpdateStatusReason"),
            LastModified = String(config, "LastModified"),
        };
    }

    private static LayerVersionInfo Layer(JsonElement e)
    {
        var content = e.TryGetProperty("Content", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var has = content.ValueKind == JsonValueKind.Object;
        return new(String(e, "LayerVersionArn") ?? "", Long(e, "Version"), String(e, "Description"),
            has ? Long(content, "CodeSize") : 0, has ? String(content, "CodeSha256") : null, has ? String(content, "Location") : null,
            Strings(e, "CompatibleRuntimes"), Strings(e, "CompatibleArchitectures"));
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static long Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    private static List<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => x.GetString()).OfType<string>()] : [];

    public void Dispose() => _sender.Dispose();
}
