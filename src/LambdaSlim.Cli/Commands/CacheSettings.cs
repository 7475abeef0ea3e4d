using System.ComponentModel;
using LambdaSlim.Cache;
using LambdaSlim.Project;
using Spectre.Console.Cli;

namespace LambdaSlim.Cli.Commands;

/// <summary>What the cache commands take: the cache (--cache), else the one the environment or the template names.</summary>
public class CacheSettings : ProjectSettings
{
    [CommandOption("--cache <DIR|S3URL>")]
    [Description("The shared cache: a folder or s3://bucket/prefix. Default: $LAMBDASLIM_CACHE, else the template's Metadata: LambdaSlim: cache, else ~/.cache/lambdaslim/artifacts")]
    public string? Cache { get; init; }

    /// <summary>
    /// --cache, $LAMBDASLIM_CACHE, the template's setting, the default folder: in that order. The template is read only
    /// when it is needed and there is one (a cache command works in any folder).
    /// </summary>
    public CacheLocation ResolveLocation()
    {
        if (Cache is null && Environment.GetEnvironmentVariable(CacheLocation.EnvironmentVariable) is not { Length: > 0 }
            && (Template is not null || File.Exists(Path.Combine(ProjectDir, "template.yaml")) || File.Exists(Path.Combine(ProjectDir, "template.yml"))))
        {
            var project = ProjectLoader.Load(ProjectDir, Template);
            return CacheLocation.Resolve(null, project.Defaults.GetString(CacheLocation.TemplateKey), Path.GetDirectoryName(project.Template.Path)!);
        }
        return CacheLocation.Resolve(Cache, null, ProjectDir);
    }
}
