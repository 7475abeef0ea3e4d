using System.Collections.Concurrent;
using LambdaSlim.IO;
using LambdaSlim.Sources;
using LambdaSlim.Project;
using LambdaSlim.Model;

namespace LambdaSlim.Install;

/// <summary>One install of a build, and the resource that asked for it first.</summary>
internal sealed record SharedInstall(string Owner, Lazy<Task> Install);

/// <summary>The installs a build has made or is making, by their inputs' fingerprint.</summary>
internal sealed class SharedInstalls : ConcurrentDictionary<string, SharedInstall>;
