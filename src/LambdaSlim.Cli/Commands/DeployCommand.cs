using System.Diagnostics;
using LambdaSlim.Aws;
using LambdaSlim.Cli.Console;
using LambdaSlim.Operate;
using LambdaSlim.Pipeline;
using LambdaSlim.Project;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// `lambdaslim deploy`: builds (unless --skip-build; the limits gate it unless --skip-size-validation), then uploads
/// the zips, shows the change set as a table, executes it and follows the stack's events.
/// </summary>
public sealed class DeployCommand(Consoles consoles) : AsyncCommand<DeploySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DeploySettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (!settings.SkipBuild)
        {
            var code = await BuildFirst.RunAsync(consoles, settings, cancellationToken,
                settings.SkipLayerBuild ? BuildScope.FunctionsOnly : BuildScope.All, settings.SkipSizeValidation, settings.Audit).ConfigureAwait(false);
            if (code != 0) return code;
        }

        var parameters = DeploySettings.Pairs(settings.ParameterOverrides);
        var tags = DeploySettings.Pairs(settings.Tags);
        if (settings.Environment is { } environment)
        {
            tags.TryAdd("environment", environment);
            var template = SamTemplate.Load(Path.Combine(new Model.BuildPaths(Path.GetFullPath(settings.ProjectDir)).Output, "template.yaml"));
            if (template.HasParameter("Environment")) parameters.TryAdd("Environment", environment);
        }
        var request = new DeployRequest
        {
            ProjectDir = settings.ProjectDir,
            StackName = settings.StackName!,
            Aws = settings.ToAwsOptions(),
            Bucket = settings.Bucket,
            Prefix = settings.Prefix ?? "",
            NoExecute = settings.NoExecute,
            LayersFirst = settings.LayersFirst,
            KeepForRollback = settings.EnableRollback,
            Parameters = parameters,
            Tags = tags,
        };
        var result = await ProgressHost.RunAsync(consoles.Error, settings.Verbose, observer => Deployment.RunAsync(request, observer, cancellationToken)).ConfigureAwait(false);

        // The stack runs this build (just deployed, or already): its functions' sizes go to CloudWatch for the alarm.
        if (!settings.NoMetrics && (result.Outcome?.Succeeded == true || result.ChangeSet.Verdict == ChangeSetVerdict.NoChanges))
        {
            await ProgressHost.RunAsync(consoles.Error, settings.Verbose, observer => PackageSizeMetrics.AfterDeployAsync(request, observer, cancellationToken)).ConfigureAwait(false);
        }

        if (result.Layers is { } layers && layers != result.ChangeSet) Changes(layers, "stage 1: the layers");
        Changes(result.ChangeSet, result.Layers is null ? null : result.Layers == result.ChangeSet ? "stage 1: the layers" : "stage 2: the functions");
        var uploaded = result.Uploads.Count(u => u.Uploaded);
        var bucket = result.Uploads.FirstOrDefault()?.Bucket;
        var where = $"{result.Uploads.Count} zips in s3://{bucket} ({uploaded} uploaded now)";
        if (result.ChangeSet.Verdict == ChangeSetVerdict.NoChanges)
            consoles.Error.WriteLine($"no changes: stack {request.StackName} is already what this build deploys; {where}");
        else if (result.Outcome is null && result.Layers == result.ChangeSet)
            consoles.Error.WriteLine($"change set {result.ChangeSet.Request.ChangeSetName} (stage 1 of --layers-first, the layers) is ready on stack {request.StackName} " +
                $"and was not executed (--no-execute); stage 2 can only be created once it has run; {where}");
        else if (result.Outcome is null)
            consoles.Error.WriteLine($"change set {result.ChangeSet.Request.ChangeSetName} is ready on stack {request.StackName} and was not executed (--no-execute); {where}");
        else
            consoles.Error.WriteLine($"stack {request.StackName}: {result.Outcome.FinalStatus} in {clock.Elapsed.TotalSeconds:0} s; {where}");
        return 0;

        void Changes(PreparedChangeSet changeSet, string? title)
        {
            if (changeSet.Description.Changes.Count == 0) return;
            var table = new Table().Border(TableBorder.Simple).AddColumns("action", "logical id", "type", "replacement");
            if (title is not null) table.Title(title);
            foreach (var c in changeSet.Description.Changes)
                table.AddRow(Markup.Escape(c.Action), Markup.Escape(c.LogicalResourceId), Markup.Escape(c.ResourceType), Markup.Escape(c.Replacement ?? ""));
            consoles.Out.Write(table);
        }
    }
}
