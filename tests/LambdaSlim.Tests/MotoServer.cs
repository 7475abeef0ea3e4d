using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LambdaSlim.Tests;

/// <summary>A real moto server (AWS API emulator) on 127.0.0.1, started for a test class and stopped after it.</summary>
public sealed class MotoServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; } = FreePort();
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Environment for AWS clients: fake credentials, a region, and nothing from the user's profile.</summary>
    public Dictionary<string, string> ClientEnvironment => new()
    {
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        // Every service the client talks to, including the S3 uploads `cloudformation package` makes.
        ["AWS_ENDPOINT_URL"] = Endpoint,
    };

    public async Task InitializeAsync()
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-m", "moto.server", "-H", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        // moto's request recorder writes here (else into the working folder, shared by every server of the test run).
        psi.Environment["MOTO_RECORDER_FILEPATH"] = Path.Combine(TestEnvironment.NewTempDir("moto"), "recording.jsonl");
        _process = Process.Start(psi)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync($"{Endpoint}/moto-api/");
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable) return;
            }
            catch (HttpRequestException) { }
            if (_process.HasExited) throw new InvalidOperationException($"moto server exited with {_process.ExitCode}");
            await Task.Delay(200);
        }
        throw new TimeoutException("moto server did not start within 30 s");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Starts moto's request recorder afresh: every API request from now on is written down, until <see cref="StopRecordingAsync"/>.</summary>
    public async Task StartRecordingAsync()
    {
        using var http = new HttpClient();
        (await http.PostAsync($"{Endpoint}/moto-api/recorder/reset-recording", null)).EnsureSuccessStatusCode();
        (await http.PostAsync($"{Endpoint}/moto-api/recorder/start-recording", null)).EnsureSuccessStatusCode();
    }

    /// <summary>Stops the recorder; the requests it saw, in order, as method, path and (for the Query APIs) the action.</summary>
    public async Task<IReadOnlyList<(string Method, string Path, string? Action)>> StopRecordingAsync()
    {
        using var http = new HttpClient();
        (await http.PostAsync($"{Endpoint}/moto-api/recorder/stop-recording", null)).EnsureSuccessStatusCode();
        var lines = await http.GetStringAsync($"{Endpoint}/moto-api/recorder/download-recording");
        return [.. lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var entry = System.Text.Json.JsonDocument.Parse(line);
            var root = entry.RootElement;
            var body = root.TryGetProperty("body", out var b) && b.ValueKind == System.Text.Json.JsonValueKind.String ? b.GetString()! : "";
            if (root.TryGetProperty("body_encoded", out var encoded) && encoded.ValueKind == System.Text.Json.JsonValueKind.True)
                body = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body));
            var action = body.Split('&').FirstOrDefault(p => p.StartsWith("Action=", StringComparison.Ordinal))?["Action=".Length..];
            return (root.GetProperty("method").GetString()!, new Uri(root.GetProperty("url").GetString()!).AbsolutePath, action);
        })];
    }

    public (int ExitCode, string Output) Aws(params string[] args)
    {
        var psi = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in ClientEnvironment) psi.Environment[k] = v;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
