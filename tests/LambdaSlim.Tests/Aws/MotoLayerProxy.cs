using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using LambdaSlim.Aws;

namespace LambdaSlim.Tests.Aws;

/// <summary>
/// moto 5.2.1 answers GetLayerVersion and GetLayerVersionByArn with <c>Content.Location: "s3://"</c>, where AWS gives a
/// presigned URL of the layer's zip. This proxy passes every request to moto and every answer back unchanged, except
/// that one field: for a layer version published through <see cref="PublishAsync"/> it is a presigned URL of the zip
/// in moto's S3, the object the version was published from. A test may point it elsewhere (<see cref="Locations"/>)
/// for what S3 cannot be made to do (ignore ranges, never answer).
/// </summary>
public sealed class MotoLayerProxy : IDisposable
{
    private readonly MotoServer _moto;
    private readonly HttpListener _listener = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly Task _loop;

    public MotoLayerProxy(MotoServer moto)
    {
        _moto = moto;
        using (var port = new TcpListener(IPAddress.Loopback, 0))
        {
            port.Start();
            Endpoint = $"http://127.0.0.1:{((IPEndPoint)port.LocalEndpoint).Port}";
        }
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>Give this as --endpoint-url: it is moto, with the layers' download URLs filled in.</summary>
    public string Endpoint { get; }

    /// <summary>The Content.Location answered for each layer version ARN.</summary>
    public ConcurrentDictionary<string, string> Locations { get; } = new(StringComparer.Ordinal);

    /// <summary>Puts the zip in moto's S3 in <paramref name="region"/>, publishes a layer version from it, and returns its ARN.</summary>
    public async Task<string> PublishAsync(string region, string name, byte[] zip)
    {
        var environment = _moto.ClientEnvironment;
        var session = AwsSession.Open(AwsOptions.Default with { Region = region, EndpointUrl = _moto.Endpoint }, k => environment.GetValueOrDefault(k));
        var bucket = $"layer-sources-{region}";
        var key = $"{name}/{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(zip))}.zip";
        using (var s3 = session.CreateS3Client())
        {
            try { await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = region }); }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists") { }
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(zip) });
            using var lambda = session.Sender("lambda", "LAMBDA", "lambda");
            var body = new JsonObject
            {
                ["Content"] = new JsonObject { ["S3Bucket"] = bucket, ["S3Key"] = key },
                ["CompatibleRuntimes"] = new JsonArray("python3.11"),
            }.ToJsonString();
            var published = await lambda.SendAsync("PublishLayerVersion", () => new HttpRequestMessage(HttpMethod.Post, new Uri(lambda.Endpoint, $"2018-10-31/layers/{name}/versions"))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            }, CancellationToken.None);
            var arn = JsonNode.Parse(published)!["LayerVersionArn"]!.GetValue<string>();
            Locations[arn] = s3.GetPreSignedURL(new GetPreSignedUrlRequest
            {
                BucketName = bucket, Key = key, Verb = HttpVerb.GET, Protocol = Protocol.HTTP, Expires = DateTime.UtcNow.AddHours(1),
            });
            return arn;
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { await ForwardAsync(context); }
            catch (Exception e) when (e is HttpRequestException or HttpListenerException or IOException) { context.Response.Abort(); }
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), _moto.Endpoint + incoming.RawUrl);
        var body = new MemoryStream();
        await incoming.InputStream.CopyToAsync(body);
        if (body.Length > 0 || incoming.HttpMethod is "POST" or "PUT") request.Content = new ByteArrayContent(body.ToArray());
        foreach (var name in incoming.Headers.AllKeys.OfType<string>())
        {
            if (name is "Host" or "Content-Length" or "Connection" or "Expect" or "Transfer-Encoding") continue;
            var value = incoming.Headers[name]!;
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await _http.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (response.IsSuccessStatusCode && incoming.RawUrl!.Contains("/layers", StringComparison.Ordinal)) answer = WithLocation(answer);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is "Content-Length" or "Transfer-Encoding" or "Connection" or "Server" or "Date") continue;
            context.Response.Headers[name] = string.Join(",", values);
        }
        context.Response.ContentLength64 = answer.Length;
        await context.Response.OutputStream.WriteAsync(answer);
        context.Response.Close();
    }

    private byte[] WithLocation(byte[] answer)
    {
        JsonNode? json;
        try { json = JsonNode.Parse(answer); }
        catch (System.Text.Json.JsonException) { return answer; }
        if (json is JsonObject layer && layer["LayerVersionArn"]?.GetValue<string>() is { } arn && Locations.TryGetValue(arn, out var location)
            && layer["Content"] is JsonObject content && content["Location"]?.GetValue<string>() == "s3://")
        {
            content["Location"] = location;
            return Encoding.UTF8.GetBytes(layer.ToJsonString());
        }
        return answer;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _http.Dispose();
    }
}
