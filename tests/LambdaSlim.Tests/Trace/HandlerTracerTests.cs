using LambdaSlim.Model;
using LambdaSlim.Runtimes;
using LambdaSlim.Trace;
using LambdaSlim.Verify;

namespace LambdaSlim.Tests.Trace;

[Trait("Category", "Integration")]
public class HandlerTracerTests
{
    private static async Task<TraceRun> Run(string code, string eventJson)
    {
        var dir = TestEnvironment.NewTempDir("tracer");
        File.WriteAllText(Path.Combine(dir, "app.py"), code);
        File.WriteAllText(Path.Combine(dir, "data.txt"), "read at call time\n");
        File.WriteAllText(Path.Combine(dir, "event.json"), eventJson);
        var function = new ArtifactContents();
        function.TryAdd("app.py", Path.Combine(dir, "app.py"));
        function.TryAdd("data.txt", Path.Combine(dir, "data.txt"));
        var layout = LambdaLayout.Create(Path.Combine(dir, "layout"), [], function);
        var python = PythonFinder.Find(new PythonRuntime("python3.11", 3, 11)).ShouldNotBeNull();
        return await HandlerTracer.RunAsync(python, "3.11", layout, "app", "handler", Path.Combine(dir, "event.json"), "event.json",
            Path.Combine(dir, "record.json"), CancellationToken.None);
    }

    [Fact]
    public async Task A_traced_handler_gets_fake_credentials_and_its_network_calls_stay_on_this_machine()
    {
        var run = await Run("""
            import os, urllib.request
            def handler(event, context):
                try:
                    urllib.request.urlopen("http://example.com/", timeout=10)
                    network = "reached"
                except Exception as e:
                    network = type(e).__name__
                return {"endpoint": os.environ["AWS_ENDPOINT_URL"], "key": os.environ["AWS_ACCESS_KEY_ID"], "network": network}
            """, "{}");

        run.Error.ShouldBeNull();
        run.Output.ShouldNotBeNull().ShouldMatch("""^\{"endpoint": "http://127\.0\.0\.1:\d+", "key": "testing", "network": "URLError"\}$""");
    }

    [Fact]
    public async Task The_record_has_the_output_the_modules_and_the_files_opened_at_call_time()
    {
        var run = await Run("""
            import os
            def handler(event, context):
                if event.get("read"):
                    import json
                    with open(os.path.join(os.path.dirname(__file__), "data.txt")) as f:
                        return {"text": f.read().strip(), "request": context.aws_request_id}
                return None
            """, """{"read": true}""");

        run.Output.ShouldBe("""{"request": "00000000-0000-0000-0000-000000000000", "text": "read at call time"}""");
        run.Modules.ShouldContain("app");
        run.Files.ShouldContain(f => f.EndsWith("/layout/var/task/data.txt", StringComparison.Ordinal));
        run.Files.ShouldContain(f => f.EndsWith("/layout/var/task/app.py", StringComparison.Ordinal));
    }
}
