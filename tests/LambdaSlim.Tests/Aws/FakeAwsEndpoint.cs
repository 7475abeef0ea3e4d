using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LambdaSlim.Tests.Aws;

/// <summary>
/// A tiny local HTTP server that answers with canned AWS responses in turn, for what moto cannot do (throttle, expire a
/// token). It records each request's Authorization header.
/// </summary>
public sealed class FakeAwsEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string Body)> _answers = new();
    private readonly Task _loop;

    public FakeAwsEndpoint(params (int Status, string Body)[] answers)
    {
        foreach (var a in answers) _answers.Enqueue(a);
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>The Query API action of each request, in order.</summary>
    public ConcurrentQueue<string> Actions { get; } = new();

    /// <summary>The answer once the queue is empty.</summary>
    public (int Status, string Body) Otherwise { get; init; } = (500, "<ErrorResponse><Error><Code>InternalFailure</Code><Message>no more answers</Message></Error></ErrorResponse>");

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Authorizations.Enqueue(context.Request.Headers["Authorization"] ?? "");
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var form = await reader.ReadToEndAsync();
                Actions.Enqueue(form.Split('&').FirstOrDefault(p => p.StartsWith("Action=", StringComparison.Ordinal))?["Action=".Length..] ?? context.Request.Url!.AbsolutePath);
            }
            var (status, body) = _answers.TryDequeue(out var next) ? next : Otherwise;
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/xml";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public static string QueryError(string code, string message) =>
        $"<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>9a1c</RequestId></ErrorResponse>";

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
