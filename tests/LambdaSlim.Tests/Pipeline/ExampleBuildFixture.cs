using LambdaSlim.Pipeline;
using LambdaSlim.Install;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// Builds a copy of examples/item-prediction once per test run, with real pip from the offline wheelhouse, for every
/// class in the <see cref="ExampleBuildCollection"/>. The classes there only read the build.
/// </summary>
public sealed class ExampleBuildFixture : IAsyncLifetime
{
    public string ProjectDir { get; } = TestEnvironment.NewTempDir("example");
    public BuildResult Result { get; private set; } = null!;
    public RecordingObserver Observer { get; } = new();

    public static BuildSettings OfflineSettings => new()
    {
        Pip = new PipOptions { NoIndex = true, FindLinks = [TestEnvironment.Wheelhouse], ExtraPlatforms = ["linux_x86_64"] },
    };

    public async Task InitializeAsync()
    {
        TestEnvironment.CopyDirectory(TestEnvironment.ExampleDir, ProjectDir);
        // Debian's binaries would not load on Lambda (the audit says so, see AuditIntegrationTests): warn, build anyway.
        Result = await BuildPipeline.RunAsync(new BuildRequest { ProjectDir = ProjectDir, Settings = OfflineSettings, Audit = AuditMode.Warn }, Observer);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public string Output(string relative) => Path.Combine(ProjectDir, ".lambdaslim", "build", relative);
}
