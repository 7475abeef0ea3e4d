using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using LambdaSlim.Build;
using LambdaSlim.Cli.Console;
using LambdaSlim.Project;
using LambdaSlim.Report;
using LambdaSlim.Validate;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

public sealed class LayerSettings : InstallSettings
{
    [CommandArgument(0, "[LAYER]")]
    [Description("A layer's logical ID, LayerName or folder name, or 'all' (default)")]
    public string Layer { get; init; } = "all";

    [CommandOption("-p|--project <DIR>")]
    [Description("Folder that holds the SAM template. Default: the current folder")]
    public string ProjectDir { get; init; } = ".";

    [CommandOption("--clean")]
    [Description("Reinstall even when requirements are unchanged")]
    public bool Clean { get; init; }

    [CommandOption("--repair")]
    [Description("validate: when pruning broke an import, put back the files it needed and verify again")]
    public bool Repair { get; init; }
}

/// <summary>`lambdaslim layers optimize NAME|all`: runs the prune stage on built layers and writes their zips again, without import verification.</summary>
public sealed class LayersOptimizeCommand(Consoles consoles) : AsyncCommand<LayerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir, TemplatePath = settings.Template, Scope = BuildScope.LayersOnly,
            LayerNames = [settings.Layer], Verify = false, Settings = settings.ToBuildSettings(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o => BuildPipeline.RunAsync(request, o, cancellationToken)).ConfigureAwait(false);
        return BuildOutput.Print(consoles, result, "text", clock.Elapsed);
    }
}

/// <summary>`lambdaslim layers validate NAME|all`: imports every module of the layers before and after pruning; writes nothing.</summary>
public sealed class LayersValidateCommand(Consoles consoles) : AsyncCommand<LayerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir, TemplatePath = settings.Template, Scope = BuildScope.LayersOnly,
            LayerNames = [settings.Layer], WriteArtifacts = false, Repair = settings.Repair, Settings = settings.ToBuildSettings(),
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, o => BuildPipeline.RunAsync(request, o, cancellationToken)).ConfigureAwait(false);
        return BuildOutput.PrintFindings(consoles, result);
    }
}

/// <summary>`lambdaslim layers build NAME|all`: builds only layers, as the seed's manage-layers.sh did.</summary>
public sealed class LayersBuildCommand(Consoles consoles) : AsyncCommand<LayerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var request = new BuildRequest
        {
            ProjectDir = settings.ProjectDir,
            TemplatePath = settings.Template,
            Scope = BuildScope.LayersOnly,
            LayerNames = [settings.Layer],
            Settings = settings.ToBuildSettings() with { ForceInstall = settings.Clean },
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose,
            observer => BuildPipeline.RunAsync(request, observer, cancellationToken)).ConfigureAwait(false);
        return BuildOutput.Print(consoles, result, "text", clock.Elapsed);
    }
}

/// <summary>`lambdaslim layers clean NAME|all`: removes zips and cached installs.</summary>
public sealed class LayersCleanCommand(Consoles consoles) : AsyncCommand<LayerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var layers = project.SelectLayers(settings.Layer);
        await LayerStatus.CleanAsync(project, layers, cancellationToken).ConfigureAwait(false);
        foreach (var l in layers) consoles.Out.WriteLine($"cleaned {l.LogicalId}");
        return 0;
    }
}

/// <summary>`lambdaslim layers status [NAME|all]`: built or not, sizes, and whether requirements changed since.</summary>
public sealed class LayersStatusCommand(Consoles consoles) : Command<LayerSettings>
{
    public override int Execute(CommandContext context, LayerSettings settings, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(settings.ProjectDir, settings.Template);
        var states = LayerStatus.Read(project, project.SelectLayers(settings.Layer), settings.ToBuildSettings());
        var rows = new List<string[]> { new[] { "layer", "runtime", "arch", "unzipped", "zipped", "state" } };
        foreach (var s in states)
            rows.Add([s.Layer.LogicalId, s.Layer.Runtime.Name, s.Layer.Architecture.ToLambdaName(),
                s.Built is null ? "-" : Bytes.Format(s.Built.UnzippedBytes), s.Built is null ? "-" : Bytes.Format(s.Built.ZippedBytes), s.State]);
        var sb = new StringBuilder();
        SummaryText.AppendTable(sb, rows, rightAligned: [3, 4]);
        consoles.Out.Profile.Out.Writer.Write(sb.ToString());
        return 0;
    }
}
